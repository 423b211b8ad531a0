namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// The scripts <c>hoist setup</c> runs as root: one for the db host (PostgreSQL), one per web host (user, folders,
/// passwords, hoist, nginx, the service). Each item says ok or changed; with <paramref name="dryRun"/> nothing
/// changes and each item says what it would do.
/// </summary>
internal static class SetupScripts
{
    public static string SiteFile(string app) => $"/etc/nginx/sites-available/{app}";

    public static string ServeIni(string deployTo) => $"{deployTo.TrimEnd('/')}/shared/serve.ini";

    public static string EnvFile(string deployTo) => $"{deployTo.TrimEnd('/')}/shared/.env";

    /// <summary>The owner role's URL, root's: in deploy_to itself, where the app's user cannot write.</summary>
    public static string MigrateEnvFile(string deployTo) => $"{deployTo.TrimEnd('/')}/.env.migrate";

    /// <summary>Where the hoist files go next to <paramref name="hoistPath"/>: /usr/local/bin/hoist → /usr/local/lib/hoist.</summary>
    public static string LibFor(string hoistPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(hoistPath)!)!, "lib", "hoist");

    /// <summary>The command that reloads hoist serve after a deploy (or starts it the first time), either mode.</summary>
    public static string ReloadCommand(HoistConfig config)
    {
        var setup = config.Setup!;
        var ini = ShellQuote.Quote(ServeIni(config.DeployTo));
        var unit = ShellQuote.Quote(config.App + ".service");
        return $"if [ -d /run/systemd/system ] && systemctl is-enabled -q {unit} 2>/dev/null; then systemctl reload-or-restart {unit}; " +
            $"else runuser -u {ShellQuote.Quote(setup.User)} -- {ShellQuote.Quote(setup.HoistPath)} serve --ini {ini} --daemon; fi";
    }

    /// <param name="ownerVerifier">The owner role's scram verifier (never its password); likewise <paramref name="appVerifier"/>.</param>
    public static Script Db(HoistConfig config, IReadOnlyList<string> packages, string ownerVerifier, string appVerifier, bool dryRun)
    {
        var db = config.Setup!.Database!;
        var script = Start("setup-db", dryRun)
            .Line(Call("packages", ["postgresql", .. packages]))
            .Raw("""
                if ! command -v pg_lsclusters >/dev/null; then
                  [ "$DRY" = 1 ] || fail "PostgreSQL's tools (pg_lsclusters) are missing although postgresql is installed"
                  item "postgresql cluster, settings, pg_hba.conf, database and roles (after the install)" would-change
                  return 0
                fi
                cluster=$(pg_lsclusters -h 2>/dev/null | head -n 1) || true
                if [ -z "$cluster" ]; then
                  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
                  if [ "$DRY" = 1 ]; then echo "would create cluster $version/main"; item "postgresql cluster" would-change; cluster="$version main 0 down"
                  else pg_createcluster "$version" main >/dev/null || fail "pg_createcluster $version main failed"; item "postgresql cluster $version/main" changed; cluster=$(pg_lsclusters -h | head -n 1); fi
                fi
                read -r version name _ status _ <<<"$cluster"
                etc=/etc/postgresql/$version/$name
                """)
            // One file for every app on this cluster: apps sharing the db host write the same text, so no restarts.
            .Line(Set("conf", $"# written by hoist setup\nlisten_addresses = 'localhost,{db.Host}'\nport = {db.Port}"))
            .Raw("""
                restart=0
                if [ "$DRY" = 1 ] && [ ! -d "$etc" ]; then item "postgresql settings" would-change
                else mkdir -p "$etc/conf.d" || fail "cannot make $etc/conf.d"; put_file "postgresql settings" "$etc/conf.d/hoist.conf" 644 postgres postgres "$conf"$'\n' 0 && restart=1 || true; fi
                """)
            .Line(Set("block", PgHba.Render(config.App, db)))
            .Line(Set("begin", PgHba.Begin(config.App)))
            .Line(Set("end", PgHba.End(config.App)))
            .Raw("""
                hba="$etc/pg_hba.conf"
                # This app's block only: its BEGIN line up to its END line, both matched whole (not another app's
                # whose name starts the same); a BEGIN without an END is an error, not the rest of the file dropped.
                rest=$(awk -v b="$begin:" -v e="$end" 'index($0, b) == 1 { skip = 1 } !skip { print } skip && $0 == e { skip = 0 } END { exit skip ? 3 : 0 }' "$hba") \
                  || fail "$hba has the line '$begin' without its '$end'; fix the file by hand"
                reload=0
                if [ -f "$hba" ]; then
                  put_file "pg_hba.conf" "$hba" 640 postgres postgres "$block$rest"$'\n' 0 && reload=1 || true
                else item "pg_hba.conf" would-change; fi
                if [ "$DRY" = 1 ]; then
                  [ "$status" = online ] && item "postgresql running" ok || item "postgresql running" would-change
                elif [ "$status" != online ]; then
                  pg_ctlcluster "$version" "$name" start || fail "PostgreSQL $version/$name did not start; see /var/log/postgresql"; item "postgresql running" changed
                elif [ "$restart" = 1 ]; then
                  pg_ctlcluster "$version" "$name" restart || fail "PostgreSQL $version/$name did not restart; see /var/log/postgresql"; item "postgresql restarted (listen_addresses, port)" changed
                elif [ "$reload" = 1 ]; then
                  pg_ctlcluster "$version" "$name" reload || fail "PostgreSQL $version/$name did not reload"; item "postgresql reloaded (pg_hba.conf)" changed
                else
                  item "postgresql running" ok
                fi
                """)
            .Line(Set("sql", ShellValue.Hidden(dryRun ? DatabaseSql.Check(db, ownerVerifier, appVerifier) : DatabaseSql.Render(db, ownerVerifier, appVerifier))));
        script.Raw($"port={db.Port}")
            .Raw("""
                if [ "$DRY" = 1 ] && [ "$status" != online ]; then
                  item "database, roles and privileges (PostgreSQL is not running to compare)" would-change
                else
                  # On failure only psql's ERROR lines are shown: its CONTEXT lines would quote statements, verifiers included.
                  out=$(printf '%s' "$sql" | runuser -u postgres -- psql -X -q -p "$port" -d postgres 2>&1) \
                    || { grep -E '^(ERROR|FATAL|psql)' <<<"$out" >&2 || true; fail "the database SQL failed"; }
                  while IFS= read -r line; do
                    case $line in
                      "NOTICE:  hoist: "*)
                        what=${line#NOTICE:  hoist: }; status_of=${what##* }
                        if [ "$DRY" = 1 ] && [ "$status_of" != ok ]; then status_of=would-change; fi
                        item "${what% *}" "$status_of" ;;
                    esac
                  done <<<"$out"
                fi
                """);
        return script.Build();
    }

    public static Script Web(HoistConfig config, IReadOnlyList<string> packages, WebSecrets secrets, string hoistHash, bool dryRun)
    {
        var setup = config.Setup!;
        var serve = config.Serve!;
        var deployTo = config.DeployTo.TrimEnd('/');
        var script = Start("setup-web", dryRun)
            .Line(DeployPaths.AssignRoot(deployTo))
            .Line(Set("U", setup.User))
            .Line(Call("packages", ["nginx", .. packages]))
            .Raw("""
                if id -u "$U" >/dev/null 2>&1 && id -nG "$U" | tr ' ' '\n' | grep -qx www-data; then item "user $U (group www-data)" ok
                elif [ "$DRY" = 1 ]; then echo "would create user $U in group www-data"; item "user $U" would-change
                elif id -u "$U" >/dev/null 2>&1; then usermod -a -G www-data "$U"; item "user $U added to www-data" changed
                else useradd --system --user-group --groups www-data --home-dir "$D" --no-create-home --shell /usr/sbin/nologin "$U"; item "user $U (group www-data)" changed
                fi
                restart=0
                reload=0
                # deploy_to and shared/ are root's: the app's user writes only in the folders made for it below, so it can
                # never swap a file root later reads or writes (.env.migrate, serve.ini) for a link elsewhere.
                put_dir "$D" "$D" 755 root root || true
                put_dir "$D/shared" "$D/shared" 755 root root || true
                """);
        foreach (var folder in Folders(config, serve))
        {
            script.Line(Call("put_dir", [folder.Path, folder.Path, folder.Mode, "$U", folder.Group]));
        }

        if (secrets.DatabaseUrl is { } url)
        {
            script.Line(Set("url", ShellValue.Hidden(url)))
                .Line(Set("migrate", ShellValue.Hidden(secrets.MigrateUrl!)))
                .Raw($"""
                    put_file "$D/shared/.env" "$D/shared/.env" 600 "$U" "$U" "$(with_env_line "$D/shared/.env" DATABASE_URL "$url")"$'\n' 1 && reload=1 || true
                    put_file "$D/.env.migrate" "$D/.env.migrate" 600 root root "MIGRATE_DATABASE_URL=$migrate"$'\n' 1 || true
                    """);
        }
        else
        {
            // serve.ini names it as the workers' env-file: it must exist, the app user's, whatever it holds.
            script.Raw("""
                no_link "$D/shared/.env"
                if [ ! -f "$D/shared/.env" ]; then put_file "$D/shared/.env" "$D/shared/.env" 600 "$U" "$U" "" 0 || true
                elif [ "$(stat -c '%a %U %G' "$D/shared/.env")" = "600 $U $U" ]; then item "$D/shared/.env" ok
                elif [ "$DRY" = 1 ]; then item "$D/shared/.env" would-change
                else chown -h "$U:$U" "$D/shared/.env" && chmod 600 "$D/shared/.env" || fail "cannot give $D/shared/.env to $U"; item "$D/shared/.env" changed; fi
                """);
        }

        script.Line(Set("ini", ServeIniFile.Render(config.App, serve, EnvFile(deployTo))))
            .Raw("put_file \"$D/shared/serve.ini\" \"$D/shared/serve.ini\" 640 root \"$U\" \"$ini\" 0 && restart=1 || true");
        HoistBinary(script, setup.HoistPath, hoistHash);
        Nginx(script, config, setup.Nginx, serve);
        Service(script, config);
        return script.Build();
    }

    private static ScriptBuilder Start(string name, bool dryRun) =>
        new ScriptBuilder(name)
            .Raw($"M={ShellQuote.Quote(Marker.Prefix)}")
            .Raw($"DRY={(dryRun ? 1 : 0)}")
            .Raw(SetupPrelude.Text)
            .Raw("[ \"$(id -u)\" = 0 ] || fail \"hoist setup needs root on $(hostname): connect as root (ssh.user: root, or root@HOST in hosts)\"");

    private static void HoistBinary(ScriptBuilder script, string hoistPath, string hash)
    {
        script.Line(Set("hoist", hoistPath))
            .Line(Set("lib", LibFor(hoistPath)))
            .Line(Set("hash", hash))
            .Raw("""
                wrapper=$(printf '#!/bin/sh\n# written by hoist setup\nexec %s/hoist "$@"' "$lib")
                if [ "$(cat "$lib/.hoist-hash" 2>/dev/null)" = "$hash" ] && same_file "$hoist" "$wrapper"$'\n' 755 root root; then
                  item "hoist ($hoist)" ok
                elif [ "$DRY" = 1 ]; then
                  echo "would install hoist $hash in $lib"; item "hoist ($hoist)" would-change
                else
                  mkdir -p "$(dirname "$hoist")" "$(dirname "$lib")"
                  rm -rf "$lib.new"; mkdir -p "$lib.new"
                  echo "${M}payload=wanted"
                  tar --no-same-owner -xf - -C "$lib.new" || fail "could not unpack hoist into $lib.new"
                  echo "$hash" >"$lib.new/.hoist-hash"
                  chown -R root:root "$lib.new"; chmod -R go-w "$lib.new"; chmod 755 "$lib.new"
                  "$lib.new/hoist" --version >/dev/null 2>&1 || { rm -rf "$lib.new"; fail "the hoist being installed does not run on $(hostname) ($(uname -m)): a framework-dependent hoist needs the .NET 10 runtime there; publish hoist self-contained for linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/') (see the README) and run setup with that one"; }
                  rm -rf "$lib.old"; if [ -d "$lib" ]; then mv "$lib" "$lib.old"; fi; mv "$lib.new" "$lib"; rm -rf "$lib.old"
                  put_file "$hoist" "$hoist" 755 root root "$wrapper"$'\n' 0 >/dev/null || true
                  item "hoist ($hoist)" changed
                fi
                """);
    }

    private static void Nginx(ScriptBuilder script, HoistConfig config, NginxSetup nginx, ServeConfig serve)
    {
        var site = SiteFile(config.App);
        script.Line(Set("site", site))
            .Line(Set("link", $"/etc/nginx/sites-enabled/{config.App}"))
            .Line(Set("conf", NginxSite.Render(config.App, config.DeployTo.TrimEnd('/'), nginx, serve.Listen)))
            .Raw($"remove_default={(nginx.RemoveDefaultSite ? 1 : 0)}")
            .Raw("""
                need=0
                same_file "$site" "$conf" 644 root root || need=1
                [ "$(readlink -- "$link" 2>/dev/null)" = "$site" ] || need=1
                if [ "$remove_default" = 1 ] && { [ -e /etc/nginx/sites-enabled/default ] || [ -L /etc/nginx/sites-enabled/default ]; }; then need=1; fi
                nginx_reload=0
                if [ "$need" = 0 ]; then
                  item "nginx site $site" ok
                elif [ "$DRY" = 1 ]; then
                  show_change "$site" "$conf" 0; item "nginx site $site" would-change
                else
                  backup=$(mktemp -d)
                  cp -a /etc/nginx/sites-available /etc/nginx/sites-enabled "$backup"/
                  printf '%s' "$conf" >"$site.hoist-new"; chmod 644 "$site.hoist-new"; chown root:root "$site.hoist-new"; mv -f "$site.hoist-new" "$site"
                  ln -sfn "$site" "$link"
                  if [ "$remove_default" = 1 ]; then rm -f /etc/nginx/sites-enabled/default; fi
                  if ! tested=$(nginx -t 2>&1); then
                    rm -rf /etc/nginx/sites-available /etc/nginx/sites-enabled
                    cp -a "$backup"/sites-available "$backup"/sites-enabled /etc/nginx/
                    rm -rf "$backup"
                    echo "$tested" >&2
                    fail "nginx -t refused the new site $site, so it was not put in place: the previous configuration is back and nginx keeps serving it. Fix setup.nginx in hoist.yml"
                  fi
                  rm -rf "$backup"; item "nginx site $site" changed; nginx_reload=1
                fi
                if [ -d /run/systemd/system ]; then
                  if ! systemctl is-active -q nginx; then [ "$DRY" = 1 ] && item "nginx running" would-change || { systemctl start nginx || fail "nginx did not start"; item "nginx running" changed; }
                  elif [ "$nginx_reload" = 1 ]; then systemctl reload nginx || fail "nginx did not reload"; item "nginx reloaded" changed
                  else item "nginx running" ok; fi
                elif ! command -v nginx >/dev/null; then
                  [ "$DRY" = 1 ] || fail "nginx is missing although it was installed"
                  item "nginx running" would-change
                elif nginx_pid=$(nginx -T 2>/dev/null | awk '$1 == "pid" && !found { sub(";", "", $2); print $2; found = 1 }') \
                  && [ -n "$nginx_pid" ] && [ -s "$nginx_pid" ] && kill -0 "$(cat "$nginx_pid")" 2>/dev/null; then
                  if [ "$nginx_reload" = 1 ]; then nginx -s reload || fail "nginx did not reload"; item "nginx reloaded" changed; else item "nginx running" ok; fi
                elif [ "$DRY" = 1 ]; then item "nginx running" would-change
                else nginx || fail "nginx did not start"; item "nginx running" changed
                fi
                """);
    }

    private static void Service(ScriptBuilder script, HoistConfig config)
    {
        var setup = config.Setup!;
        var ini = ServeIni(config.DeployTo);
        script.Line(Set("unit", SystemdUnit.Render(config.App, setup.User, setup.HoistPath, ini, config.DeployTo.TrimEnd('/'))))
            .Line(Set("unit_file", $"/etc/systemd/system/{config.App}.service"))
            .Line(Set("unit_name", $"{config.App}.service"))
            .Line(Set("serve_ini", ini))
            .Raw($"mode={setup.Service.ToString().ToLowerInvariant()}")
            .Raw("""
                systemd=0
                if [ -d /run/systemd/system ]; then systemd=1; fi
                if [ "$mode" = systemd ] && [ "$systemd" = 0 ]; then fail "setup.service is systemd, but systemd does not run on $(hostname); use auto or direct"; fi
                if [ "$mode" = direct ]; then systemd=0; fi
                serve() { runuser -u "$U" -- "$hoist" serve --ini "$serve_ini" "$@"; }
                if [ "$systemd" = 1 ]; then
                  if [ "$DRY" != 1 ]; then
                    check=$(mktemp -d); printf '%s' "$unit" >"$check/$unit_name"
                    verified=$(systemd-analyze verify "$check/$unit_name" 2>&1) || { rm -rf "$check"; echo "$verified" >&2; fail "systemd-analyze verify refused the unit for hoist serve"; }
                    rm -rf "$check"
                  fi
                  if put_file "$unit_file" "$unit_file" 644 root root "$unit" 0; then restart=1; [ "$DRY" = 1 ] || systemctl daemon-reload; fi
                  if ! systemctl is-enabled -q "$unit_name"; then [ "$DRY" = 1 ] && item "service enabled" would-change || { systemctl enable -q "$unit_name"; item "service enabled" changed; }; else item "service enabled" ok; fi
                  if [ ! -e "$D/current" ]; then item "service (starts at the first deploy)" ok
                  elif ! systemctl is-active -q "$unit_name"; then [ "$DRY" = 1 ] && item "service running" would-change || { systemctl start "$unit_name"; item "service running" changed; }
                  elif [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "service restart (new settings)" would-change || { systemctl restart "$unit_name" || fail "$unit_name did not restart"; item "service restarted (new settings)" changed; }
                  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "service reload (new .env)" would-change || { systemctl reload "$unit_name" || fail "$unit_name did not reload"; item "service reloaded (new .env)" changed; }
                  else item "service running" ok; fi
                elif [ ! -e "$D/current" ]; then
                  item "hoist serve (starts at the first deploy)" ok
                elif serve --status >/dev/null 2>&1; then
                  # New settings need a new hoist serve (a reload replaces workers, not the server); a new .env, new workers.
                  if [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve restart (new settings)" would-change || { serve --stop >/dev/null; serve --daemon || fail "hoist serve did not start again"; item "hoist serve restarted (new settings)" changed; }
                  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve reload (new .env)" would-change || { serve --reload >/dev/null || fail "hoist serve --reload failed"; item "hoist serve reloaded (new .env)" changed; }
                  else item "hoist serve running" ok; fi
                elif [ "$DRY" = 1 ]; then item "hoist serve running" would-change
                else serve --daemon || fail "hoist serve did not start"; item "hoist serve running" changed
                fi
                """);
    }

    /// <summary>Folders the app writes: the socket's, the pidfile's and the log's (nginx reaches the socket through group www-data), and shared ones.</summary>
    private static IEnumerable<(string Path, string Mode, string Group)> Folders(HoistConfig config, ServeConfig serve)
    {
        var shared = $"{config.DeployTo.TrimEnd('/')}/shared";
        var seen = new HashSet<string>(StringComparer.Ordinal) { config.DeployTo.TrimEnd('/'), shared };
        var wanted = new List<(string, string, string)>();
        void Add(string? folder, string mode, string group)
        {
            if (folder is not null && folder.StartsWith(shared + "/", StringComparison.Ordinal) && seen.Add(folder))
            {
                wanted.Add((folder, mode, group));
            }
        }

        // setgid: the socket (and uploads in media) take group www-data, so nginx reaches them and no one else.
        Add(serve.Listen is UnixListen unix ? Path.GetDirectoryName(unix.Path) : null, "2750", "www-data");
        Add(Path.GetDirectoryName(serve.ControlSocket), "750", "$U");
        Add(serve.PidFile is { } pid ? Path.GetDirectoryName(pid) : null, "750", "$U");
        Add(serve.LogTo is { } log ? Path.GetDirectoryName(log) : null, "750", "$U");
        foreach (var entry in config.Shared.Where(e => !Path.GetFileName(e).Contains('.', StringComparison.Ordinal)))
        {
            Add($"{shared}/{entry}", "2750", "www-data");
        }

        return wanted;
    }

    private static ShellCommand Set(string name, string value) => Set(name, ShellValue.Plain(value));

    private static ShellCommand Set(string name, ShellValue value) => new(new AssignmentPart(name, value));

    /// <summary><c>function 'arg'... || true</c>: an item whose "nothing changed" (status 1) must not stop the script.</summary>
    private static ShellCommand Call(string function, IEnumerable<string> args) =>
        new([ShellCommand.Raw(function), .. args.Select(a => a.StartsWith('$') ? (ShellPart)ShellCommand.Raw($"\"{a}\"") : a), ShellCommand.Raw("|| true")]);
}
