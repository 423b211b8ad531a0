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

    public static string MigrateEnvFile(string deployTo) => $"{deployTo.TrimEnd('/')}/shared/.env.migrate";

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
                cluster=$(pg_lsclusters -h 2>/dev/null | head -n 1)
                if [ -z "$cluster" ]; then
                  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
                  if [ "$DRY" = 1 ]; then echo "would create cluster $version/main"; item "postgresql cluster" would-change; cluster="$version main 0 down"
                  else pg_createcluster "$version" main >/dev/null; item "postgresql cluster $version/main" changed; cluster=$(pg_lsclusters -h | head -n 1); fi
                fi
                read -r version name _ status _ <<<"$cluster"
                etc=/etc/postgresql/$version/$name
                """)
            .Line(Set("conf", $"# written by hoist setup for {config.App}\nlisten_addresses = 'localhost,{db.Host}'\nport = {db.Port}"))
            .Raw("""
                restart=0
                if [ "$DRY" = 1 ] && [ ! -d "$etc" ]; then item "postgresql settings" would-change
                else mkdir -p "$etc/conf.d"; put_file "postgresql settings" "$etc/conf.d/hoist.conf" 644 postgres postgres "$conf"$'\n' 0 && restart=1 || true; fi
                """)
            .Line(Set("block", PgHba.Render(config.App, db)))
            .Line(Set("begin", PgHba.Begin(config.App)))
            .Line(Set("end", PgHba.End(config.App)))
            .Raw("""
                hba="$etc/pg_hba.conf"
                rest=$(awk -v b="$begin" -v e="$end" 'index($0, b) == 1 { skip = 1 } !skip { print } index($0, e) == 1 { skip = 0 }' "$hba" 2>/dev/null || true)
                reload=0
                if [ -f "$hba" ]; then
                  put_file "pg_hba.conf" "$hba" 640 postgres postgres "$block$rest"$'\n' 0 && reload=1 || true
                else item "pg_hba.conf" would-change; fi
                if [ "$DRY" = 1 ]; then
                  [ "$status" = online ] && item "postgresql running" ok || item "postgresql running" would-change
                elif [ "$status" != online ]; then
                  pg_ctlcluster "$version" "$name" start; item "postgresql running" changed
                elif [ "$restart" = 1 ]; then
                  pg_ctlcluster "$version" "$name" restart; item "postgresql restarted (listen_addresses, port)" changed
                elif [ "$reload" = 1 ]; then
                  pg_ctlcluster "$version" "$name" reload; item "postgresql reloaded (pg_hba.conf)" changed
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
                  out=$(printf '%s' "$sql" | runuser -u postgres -- psql -X -q -p "$port" -d postgres 2>&1) || { echo "$out" >&2; fail "the database SQL failed"; }
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
                put_dir "$D" "$D" 755 root root || true
                put_dir "$D/shared" "$D/shared" 750 "$U" www-data || true
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
                    put_file "$D/shared/.env" "$D/shared/.env" 600 "$U" "$U" "$(with_env_line "$D/shared/.env" DATABASE_URL "$url")"$'\n' 1 && restart=1 || true
                    put_file "$D/shared/.env.migrate" "$D/shared/.env.migrate" 600 root root "MIGRATE_DATABASE_URL=$migrate"$'\n' 1 || true
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
                  tar -xf - -C "$lib.new"
                  echo "$hash" >"$lib.new/.hoist-hash"
                  chmod -R go-w "$lib.new"; chmod 755 "$lib.new"
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
                nginx_pid=$(nginx -T 2>/dev/null | awk '$1 == "pid" { sub(";", "", $2); print $2; exit }')
                if [ -d /run/systemd/system ]; then
                  if ! systemctl is-active -q nginx; then [ "$DRY" = 1 ] && item "nginx running" would-change || { systemctl start nginx; item "nginx running" changed; }
                  elif [ "$nginx_reload" = 1 ]; then systemctl reload nginx; item "nginx reloaded" changed
                  else item "nginx running" ok; fi
                elif [ -n "$nginx_pid" ] && [ -s "$nginx_pid" ] && kill -0 "$(cat "$nginx_pid")" 2>/dev/null; then
                  if [ "$nginx_reload" = 1 ]; then nginx -s reload; item "nginx reloaded" changed; else item "nginx running" ok; fi
                elif [ "$DRY" = 1 ]; then item "nginx running" would-change
                else nginx; item "nginx running" changed
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
                  check=$(mktemp -d)/"$unit_name"; printf '%s' "$unit" >"$check"
                  if ! verified=$(systemd-analyze verify "$check" 2>&1); then echo "$verified" >&2; fail "systemd-analyze verify refused the unit for hoist serve"; fi
                  rm -rf "$(dirname "$check")"
                  if put_file "$unit_file" "$unit_file" 644 root root "$unit" 0; then [ "$DRY" = 1 ] || systemctl daemon-reload; fi
                  if ! systemctl is-enabled -q "$unit_name"; then [ "$DRY" = 1 ] && item "service enabled" would-change || { systemctl enable -q "$unit_name"; item "service enabled" changed; }; else item "service enabled" ok; fi
                  if [ ! -e "$D/current" ]; then item "service (starts at the first deploy)" ok
                  elif ! systemctl is-active -q "$unit_name"; then [ "$DRY" = 1 ] && item "service running" would-change || { systemctl start "$unit_name"; item "service running" changed; }
                  elif [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "service reloaded" would-change || { systemctl reload "$unit_name"; item "service reloaded" changed; }
                  else item "service running" ok; fi
                elif [ ! -e "$D/current" ]; then
                  item "hoist serve (starts at the first deploy)" ok
                elif serve --status >/dev/null 2>&1; then
                  if [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve reloaded" would-change || { serve --reload >/dev/null; item "hoist serve reloaded" changed; }
                  else item "hoist serve running" ok; fi
                elif [ "$DRY" = 1 ]; then item "hoist serve running" would-change
                else serve --daemon; item "hoist serve running" changed
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

        Add(serve.Listen is UnixListen unix ? Path.GetDirectoryName(unix.Path) : null, "2750", "www-data");
        Add(Path.GetDirectoryName(serve.ControlSocket), "750", "$U");
        Add(serve.PidFile is { } pid ? Path.GetDirectoryName(pid) : null, "750", "$U");
        Add(serve.LogTo is { } log ? Path.GetDirectoryName(log) : null, "750", "$U");
        foreach (var entry in config.Shared.Where(e => !Path.GetFileName(e).Contains('.', StringComparison.Ordinal)))
        {
            Add($"{shared}/{entry}", "750", "www-data");
        }

        return wanted;
    }

    private static ShellCommand Set(string name, string value) => Set(name, ShellValue.Plain(value));

    private static ShellCommand Set(string name, ShellValue value) => new(new AssignmentPart(name, value));

    /// <summary><c>function 'arg'... || true</c>: an item whose "nothing changed" (status 1) must not stop the script.</summary>
    private static ShellCommand Call(string function, IEnumerable<string> args) =>
        new([ShellCommand.Raw(function), .. args.Select(a => a.StartsWith('$') ? (ShellPart)ShellCommand.Raw($"\"{a}\"") : a), ShellCommand.Raw("|| true")]);
}

/// <summary>The connection strings a web host's .env files get; null when there is no database to reach.</summary>
internal sealed record WebSecrets(string? DatabaseUrl, string? MigrateUrl);
