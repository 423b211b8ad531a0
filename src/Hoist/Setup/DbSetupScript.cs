namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// The db host's setup script: the hoist binary, PostgreSQL installed and running on the host's address, its pg_hba block, and the
/// app's database, owner role and rows-only app role (the SQL of <see cref="DatabaseSql"/>, verifiers only).
/// </summary>
internal static class DbSetupScript
{
    /// <param name="ownerVerifier">The owner role's scram verifier (never its password); likewise <paramref name="appVerifier"/>.</param>
    public static Script Build(HoistConfig config, IReadOnlyList<string> packages, string ownerVerifier, string appVerifier, string hoistHash, bool dryRun)
    {
        var db = config.Setup!.Database!;
        var script = SetupScripts.Start("setup-db", dryRun)
            .Line(SetupScripts.Call("packages", ["postgresql", "sudo", .. packages]));
        SetupScripts.AddHoistBinary(script, config.Setup.HoistPath, hoistHash);
        script
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
            .Line(SetupScripts.Set("conf", $"# written by hoist setup\nlisten_addresses = 'localhost,{db.Host}'\nport = {db.Port}"))
            .Raw("""
                restart=0
                if [ "$DRY" = 1 ] && [ ! -d "$etc" ]; then item "postgresql settings" would-change
                else mkdir -p "$etc/conf.d" || fail "cannot make $etc/conf.d"; put_file "postgresql settings" "$etc/conf.d/hoist.conf" 644 postgres postgres "$conf"$'\n' 0 && restart=1 || true; fi
                """)
            .Line(SetupScripts.Set("block", PgHba.Render(config.App, db)))
            .Line(SetupScripts.Set("begin", PgHba.Begin(config.App)))
            .Line(SetupScripts.Set("end", PgHba.End(config.App)))
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
            .Line(SetupScripts.Set("sql", ShellValue.Hidden(dryRun ? DatabaseSql.Check(db, ownerVerifier, appVerifier) : DatabaseSql.Render(db, ownerVerifier, appVerifier))));
        // psql --cluster: Debian's pg_wrapper connects through that cluster's own socket directory and port,
        // wherever its postgresql.conf puts them.
        script.Raw("""
                if [ "$DRY" = 1 ] && [ "$status" != online ]; then
                  item "database, roles and privileges (PostgreSQL is not running to compare)" would-change
                else
                  # On failure only psql's ERROR lines are shown: its CONTEXT lines would quote statements, verifiers included.
                  out=$(printf '%s' "$sql" | sudo -n -u postgres -- psql --cluster "$version/$name" -X -q -d postgres 2>&1) \
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
}
