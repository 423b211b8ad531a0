namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// A web host's setup script: packages, the app's user, deploy_to's folders, the .env files, serve.ini, the hoist
/// binary (the payload, sent only if the host asks), then the nginx site and the service. A changed .env reloads the app.
/// </summary>
internal static class WebSetupScript
{
    public static Script Build(HoistConfig config, IReadOnlyList<string> packages, WebSecrets secrets, string hoistHash, bool dryRun)
    {
        var setup = config.Setup!;
        var serve = config.Serve!;
        var deployTo = config.DeployTo.TrimEnd('/');
        var script = SetupScripts.Start("setup-web", dryRun);
        ServiceSetupStep.AddPrecheck(script, config);
        script.Line(DeployPaths.AssignRoot(deployTo))
            .Line(SetupScripts.Set("U", setup.User))
            // git: each web host clones the repository itself in git mode (hoist check asks for it there).
            // python3-venv: each deploy makes the release's venv (python.venv) with it.
            .Line(SetupScripts.Call("packages", [
                "nginx", .. config.Source is GitSource ? ["git"] : Array.Empty<string>(), .. TlsRole.AtWeb(config) ? [TlsSetupStep.Package] : Array.Empty<string>(),
                .. config.Python is { Venv: true } && !packages.Contains(PythonConfig.VenvPackage) ? [PythonConfig.VenvPackage] : Array.Empty<string>(), .. packages]))
            .Raw("""
                if id -u "$U" >/dev/null 2>&1 && id -nG "$U" | tr ' ' '\n' | grep -qx www-data; then item "user $U (group www-data)" ok
                elif [ "$DRY" = 1 ]; then echo "would create user $U in group www-data"; item "user $U" would-change
                elif id -u "$U" >/dev/null 2>&1; then usermod -a -G www-data "$U"; item "user $U added to www-data" changed
                else useradd --system --user-group --groups www-data --home-dir "$D" --no-create-home --shell /usr/sbin/nologin "$U"; item "user $U (group www-data)" changed
                fi
                restart=0
                reload=0
                # deploy_to and shared/ are the login user's (who deploys): the app's user writes only in the folders made
                # for it below, so it can never swap a file root later reads or writes (.env.migrate, serve.ini) for a link.
                put_dir "$D" "$D" 755 "$O" "$OG" || true
                put_dir "$D/shared" "$D/shared" 755 "$O" "$OG" || true
                """);
        foreach (var folder in Folders(config, serve))
        {
            script.Line(SetupScripts.Call("put_dir", [folder.Path, folder.Path, folder.Mode, setup.User, folder.Group]));
        }

        // shared/.env: serve.ini names it as the workers' env-file, so it exists, the app user's, whatever it holds. The
        // lines setup manages are set in place; every other line stays byte for byte where it was (EnvLines).
        script.Raw("env_read \"$D/shared/.env\"");
        if (secrets.DatabaseUrl is { } url)
        {
            script.Line(SetupScripts.Set("url", ShellValue.Hidden(url)))
                .Raw("env_set DATABASE_URL \"$url\"");
        }

        foreach (var (name, value) in secrets.AppSecrets)
        {
            script.Line(SetupScripts.Set("value", ShellValue.Hidden(value)))
                .Line(ShellCommand.Raw("env_set"), name, ShellCommand.Raw("\"$value\""));
        }

        script.Raw("put_file \"$D/shared/.env\" \"$D/shared/.env\" 600 \"$U\" \"$U\" \"$ENV\" 1 && reload=1 || true");
        if (secrets.MigrateUrl is { } migrate)
        {
            script.Line(SetupScripts.Set("migrate", ShellValue.Hidden(migrate)))
                .Raw("put_file \"$D/.env.migrate\" \"$D/.env.migrate\" 600 \"$O\" \"$OG\" \"MIGRATE_DATABASE_URL=$migrate\"$'\\n' 1 || true");
        }

        // The health check asks with the site's name unless serve says otherwise: an app that checks Host (Django's
        // ALLOWED_HOSTS) allows that one, and may refuse "localhost".
        var checkedServe = serve is { HealthCheck: not null, HealthCheckHost: null } && setup.Nginx.FirstHostName is { } site
            ? serve with { HealthCheckHost = site }
            : serve;
        script.Line(SetupScripts.Set("ini", ServeIniFile.Render(config.App, checkedServe, SetupScripts.EnvFile(deployTo))))
            .Raw("put_file \"$D/shared/serve.ini\" \"$D/shared/serve.ini\" 640 root \"$U\" \"$ini\" 0 && restart=1 || true");
        SetupScripts.AddHoistBinary(script, setup.HoistPath, hoistHash);
        NginxSetupStep.Add(script, config, setup.Nginx, serve);
        ServiceSetupStep.Add(script, config);
        return script.Build();
    }

    /// <summary>
    /// Folders the app writes: the socket's, the pidfile's and the log's (nginx reaches the socket through group
    /// www-data), and shared ones. Group: www-data, or the app user's own (useradd --user-group names it as the user).
    /// </summary>
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
        var own = config.Setup!.User;
        // A TCP listener's default control socket is the host's own affair (ServeIniFile), in a folder hoist serve makes.
        Add(serve.Listen is UnixListen || serve.ControlSocketSet ? Path.GetDirectoryName(serve.ControlSocket) : null, "750", own);
        Add(serve.PidFile is { } pid ? Path.GetDirectoryName(pid) : null, "750", own);
        Add(serve.LogTo is { } log ? Path.GetDirectoryName(log) : null, "750", own);
        foreach (var entry in config.Shared.Where(e => !Path.GetFileName(e).Contains('.', StringComparison.Ordinal)))
        {
            Add($"{shared}/{entry}", "2750", "www-data");
        }

        return wanted;
    }
}
