namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Remote;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// <c>hoist setup</c>: reads the database passwords the web hosts already keep (or makes them), prepares the db host,
/// then the web hosts, each item reporting ok or changed. The passwords reach the hosts only inside scripts on
/// stdin; PostgreSQL gets scram verifiers, never the passwords themselves.
/// </summary>
internal sealed class SetupRunner(RunContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<HostConfig> selected, bool dryRun, bool rotate, IReadOnlyList<string> rotateSecrets, CancellationToken cancel)
    {
        var config = context.Config;
        var setup = config.Setup ?? throw HoistException.Usage(
            $"{config.Files} has no setup: section, so there is nothing to set up; add one (`setup: {{}}` takes every default; examples/hoist.example.yml explains each key)");
        if (!config.DeployTo.StartsWith('/'))
        {
            throw HoistException.Usage($"hoist setup needs an absolute deploy_to (nginx's site and the service name real paths), not '{config.DeployTo}'");
        }

        CheckPaths(config);
        CheckRotateSecrets(setup, rotateSecrets);
        var web = Role(config, "web").Where(h => selected.Any(s => s.Key == h.Key)).ToList();
        var db = setup.Database is null ? [] : Role(config, "db").Where(h => selected.Any(s => s.Key == h.Key)).ToList();
        var lb = LbRole.Hosts(config).Where(h => selected.Any(s => s.Key == h.Key)).ToList();
        if (web.Count > 0 && config.Serve is null)
        {
            throw HoistException.Usage($"hoist setup puts nginx in front of hoist serve on the web hosts, and {config.Files} has no serve: section; add one (see examples/hoist.example.yml)");
        }

        if (web.Count == 0 && db.Count == 0 && lb.Count == 0)
        {
            throw HoistException.Usage("none of the selected hosts has the role web, db or lb, which are what hoist setup prepares");
        }

        var allWeb = Role(config, "web");
        if (setup.Database is not null && allWeb.Count == 0)
        {
            throw HoistException.Usage("setup.database needs web hosts: their shared/.env is where the passwords are kept; add hosts: { web: ... }");
        }

        // One connection per host for the whole run: every web host (the passwords and secrets are read from them even
        // when only some are set up) and the db host.
        var involved = db.Concat(KeepsValues(setup) ? allWeb : web).Concat(lb).DistinctBy(h => h.Key).ToList();
        // The lb's upstream is what a deploy rewrites while it drains: setup writes it under the same lock, taken on
        // hoist.yml's first host first, even when setup has nothing to do there (FleetLock).
        var locks = !dryRun && (web.Count > 0 || lb.Count > 0);
        // What setup writes on a web host (shared/.env, serve.ini, the service) a deploy reads while it switches.
        var setupLock = new SetupLock(context, web);
        await using var op = await HostOperation.OpenAsync(context, "setup", involved, setupLock.Info,
            $"on {string.Join(", ", FleetLock.WithLeader(config, involved).Select(h => h.Display))}: the deploy lock ({config.DeployTo}/.hoist/lock), taken by setup; " +
            "once the hosts answer, run `hoist lock release --force`, then `hoist setup` again", setupLock.Cleanup, cancel, locks).ConfigureAwait(false);
        if (!locks)
        {
            return await SetUpAsync(op.Fleet, web, db, lb, new(dryRun, rotate, rotateSecrets), new SetupLog(), cancel).ConfigureAwait(false);
        }

        await setupLock.TakeAsync(op, cancel).ConfigureAwait(false);
        var log = new SetupLog();
        try
        {
            return await SetUpAsync(op.Fleet, web, db, lb, new(dryRun, rotate, rotateSecrets), log, cancel).ConfigureAwait(false);
        }
        finally
        {
            await setupLock.ReleaseAsync(op.Fleet, log).ConfigureAwait(false);
        }
    }

    private async Task<int> SetUpAsync(
        Fleet fleet, IReadOnlyList<HostConfig> web, IReadOnlyList<HostConfig> db, IReadOnlyList<HostConfig> lb, SetupRequest request, SetupLog log, CancellationToken cancel)
    {
        var (dryRun, rotate) = (request.DryRun, request.RotateDbPassword);
        var config = context.Config;
        var setup = config.Setup!;
        var allWeb = Role(config, "web");
        var secrets = new WebSecrets(null, null);
        var kept = KeepsValues(setup) ? await ReadKeptAsync(fleet, allWeb, cancel).ConfigureAwait(false) : [];
        var everyWeb = allWeb.All(h => web.Any(w => w.Key == h.Key));
        if (setup.Database is { } database)
        {
            var (app, owner) = rotate ? (null, null) : Passwords(kept.Select(k => k.Passwords), database);
            // New passwords must reach PostgreSQL and every web host in the same run, or the app cannot log in.
            var everyone = db.Count == 1 && everyWeb;
            if ((rotate || app is null || owner is null) && !everyone)
            {
                throw HoistException.Usage(rotate
                    ? "--rotate-db-password needs the db host and every web host in the same run; drop --role/--host"
                    : "the database passwords do not exist yet, and making them needs the db host and every web host in the same run; drop --role/--host");
            }

            if (rotate)
            {
                context.Reporter.Info("new database passwords (--rotate-db-password)");
            }

            secrets = new WebSecrets(Url(database, database.User, app ?? Scram.NewPassword()), Url(database, database.Owner, owner ?? Scram.NewPassword()));
            // Known before any host runs a script, so no host's output or failure (the db host's first) can show them.
            KnownSecrets.AddRange([secrets.DatabaseUrl!, secrets.MigrateUrl!]);
            if (rotate)
            {
                log.Rotated(["DATABASE_URL", "MIGRATE_DATABASE_URL"]);
            }
        }

        // A rotation is refused, not skipped, when the run has no web host to write it to.
        if (setup.Secrets.Count > 0 && (web.Count > 0 || request.RotateSecrets.Count > 0))
        {
            secrets = secrets with { AppSecrets = ChooseAppSecrets(setup, request, kept, everyWeb, log) };
        }

        // setup.service: systemd needs systemd on every web host: checked on all of them before any host is changed.
        if (web.Count > 0 && setup.Service == ServiceMode.Systemd)
        {
            var precheck = SetupScripts.Start("setup-precheck", dryRun);
            ServiceSetupStep.AddPrecheck(precheck, config);
            var script = precheck.Build() with { AsRoot = true };
            var checks = await fleet.RunAsync(h => web.Any(w => w.Key == h.Key) ? script : null, null, quiet: false, cancel).ConfigureAwait(false);
            foreach (var run in checks.Where(r => !r.Ok))
            {
                context.Reporter.HostDone(run.Host, false, run.Tail(3));
            }

            if (checks.Any(r => !r.Ok))
            {
                context.Reporter.Warn("no host was changed");
                return 1;
            }
        }

        // This hoist, packed once, goes to every host that lacks it (each one asks for it only then).
        using var hoist = PackSelf();
        var failed = 0;
        if (db.Count > 0)
        {
            var wanted = setup.Database!;
            var (ownerVerifier, appVerifier) = (Scram.Verifier(wanted.Owner, Credentials(secrets.MigrateUrl!)!.Value.Password), Scram.Verifier(wanted.User, Credentials(secrets.DatabaseUrl!)!.Value.Password));
            if (dryRun)
            {
                context.Reporter.Info("SQL for the database host (passwords as [REDACTED]):\n" + DatabaseSql.Render(wanted, Secret.Redacted, Secret.Redacted));
            }

            failed += await RunAsync(fleet, db, log, h => DbSetupScript.Build(config, Packages(setup, "db"), ownerVerifier, appVerifier, hoist.Revision, dryRun) with { AsRoot = true }, hoist.Open, cancel).ConfigureAwait(false);
            if (failed > 0)
            {
                context.Reporter.Warn("the database host failed; the web hosts were left as they were");
                return 1;
            }
        }

        if (web.Count > 0)
        {
            failed += await RunAsync(fleet, web, log, h => WebSetupScript.Build(config, Packages(setup, "web"), secrets, hoist.Revision, dryRun) with { AsRoot = true }, hoist.Open, cancel).ConfigureAwait(false);
        }

        // After the web hosts, so the upstream it opens onto is ready (nginx there knows the lb's address).
        if (lb.Count > 0 && failed == 0)
        {
            failed += await RunAsync(fleet, lb, log, _ => LbSetupScript.Build(config, Packages(setup, LbRole.Name), dryRun), hoist.Open, cancel).ConfigureAwait(false);
        }

        // Last, once every host is set up: rules that cut hoist off would otherwise leave the rest half done.
        if (failed == 0)
        {
            var hosts = db.Concat(web).Concat(lb).DistinctBy(h => h.Key).ToList();
            failed += await new FirewallPhase(context).RunAsync(fleet, hosts, dryRun, runs => Report(runs, log, skipEmpty: true), cancel).ConfigureAwait(false);
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Paths that become nginx's, systemd's and hoist serve's on the hosts: plain, absolute, and where setup makes
    /// folders the app's user may write (a folder of shared/, since shared/ itself is root's).
    /// </summary>
    private static void CheckPaths(HoistConfig config)
    {
        var deployTo = config.DeployTo.TrimEnd('/');
        if (!PlainPath(deployTo))
        {
            throw HoistException.Usage($"deploy_to '{config.DeployTo}' may only hold letters, digits and . _ - @ + ~ / for hoist setup (it goes into nginx's site and the service unit)");
        }

        if (config.Serve is not { } serve)
        {
            return;
        }

        var shared = deployTo + "/shared/";
        var written = new List<(string Key, string? Path)>
        {
            ("socket", serve.Listen is UnixListen unix ? unix.Path : null),
            ("control_socket", serve.Listen is UnixListen || serve.ControlSocketSet ? serve.ControlSocket : null),
            ("pidfile", serve.PidFile),
            ("logto", serve.LogTo),
        };
        foreach (var (key, path) in written.Where(w => w.Path is not null))
        {
            var folder = Path.GetDirectoryName(path!)! + "/";
            if (!folder.StartsWith(shared, StringComparison.Ordinal) || folder == shared || !PlainPath(path!))
            {
                throw HoistException.Usage($"serve.{key} is {path}; with hoist setup it goes in a folder of {shared} (such as {shared}run/), which setup makes for the app's user (shared/ itself is root's)");
            }
        }

        if (serve.Chdir is not { } chdir || !chdir.StartsWith(deployTo + "/", StringComparison.Ordinal))
        {
            throw HoistException.Usage($"serve.chdir is {serve.Chdir ?? "not set"}; with hoist setup it is {deployTo}/current (an absolute path on the hosts)");
        }

        if (ServeIniFile.Problems(serve) is [var problem, ..])
        {
            throw HoistException.Usage(problem);
        }
    }

    /// <summary>An absolute path of the characters setup's files may hold (the config reader's own rule).</summary>
    private static bool PlainPath(string path) => path.StartsWith('/') && Config.Loading.SetupReader.SafePath().IsMatch(path);

    private static UploadArchive PackSelf()
    {
        var stage = SelfFiles.Stage();
        try
        {
            return UploadArchive.Create(UploadFolder.Scan(stage));
        }
        finally
        {
            Directory.Delete(stage, recursive: true);
        }
    }

    private static IReadOnlyList<HostConfig> Role(HoistConfig config, string role) =>
        config.Roles.FirstOrDefault(r => r.Name == role)?.Hosts ?? [];

    private static IReadOnlyList<string> Packages(SetupConfig setup, string role) =>
        setup.Packages.TryGetValue(role, out var list) ? list : [];

    private static string Url(DatabaseSetup db, string role, string password) =>
        $"postgresql://{Uri.EscapeDataString(role)}:{Uri.EscapeDataString(password)}@{(db.Host.Contains(':', StringComparison.Ordinal) ? $"[{db.Host}]" : db.Host)}:{db.Port}/{db.Name}";

    /// <summary>The role and password in a postgresql:// URL, or null when it has neither.</summary>
    private static (string User, string Password)? Credentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [var user, var password]
            ? (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password))
            : null;

    /// <summary>Runs one script on each of <paramref name="hosts"/>; prints each item, then a line per host. Returns how many hosts failed.</summary>
    private async Task<int> RunAsync(Fleet fleet, IReadOnlyList<HostConfig> hosts, SetupLog log, Func<HostConfig, Script> scriptFor, Func<Stream> payload, CancellationToken cancel)
    {
        var runs = await fleet.RunAsync(h => hosts.Any(x => x.Key == h.Key) ? scriptFor(h) : null, _ => payload(), quiet: false, cancel).ConfigureAwait(false);
        return Report(runs, log);
    }

    /// <summary>Prints each run's items, then a line per host (none for a host that ran well and had nothing to report when <paramref name="skipEmpty"/>). Returns how many failed.</summary>
    private int Report(IReadOnlyList<HostRun> runs, SetupLog log, bool skipEmpty = false)
    {
        foreach (var run in runs)
        {
            var items = SetupReport.Read(run).Items;
            if (skipEmpty && run.Ok && items.Count == 0)
            {
                continue;
            }

            foreach (var item in items)
            {
                context.Reporter.Info($"{run.Host.Display}: {Shown(item.Status),-12} {item.Name}");
            }

            log.Record(run.Host, run.Ok, items.Where(i => i.Changed).Select(i => i.Name));
            var changed = items.Count(i => i.Changed);
            var would = items.Count(i => i.WouldChange);
            var summary = would > 0 ? $"{would} would change, {items.Count - would} ok" : $"{changed} changed, {items.Count - changed} ok";
            context.Reporter.HostDone(run.Host, run.Ok, run.Ok ? summary : $"{summary}; failed: {run.Tail(3)}");
        }

        return runs.Count(r => !r.Ok);
    }

    private static string Shown(string status) => status switch
    {
        "created" => "changed",
        "would-change" => "would change",
        _ => status,
    };

    /// <summary>
    /// What every web host keeps in shared/.env and .env.migrate: the database URLs and setup.secrets' values. They
    /// come back as markers (never shown), like any value a script reports, and are known secrets at once.
    /// </summary>
    private async Task<IReadOnlyList<(HostConfig Host, DatabaseUrlsReport Passwords, AppSecretsReport Secrets)>> ReadKeptAsync(
        Fleet fleet, IReadOnlyList<HostConfig> web, CancellationToken cancel)
    {
        var script = new ScriptBuilder("setup-read-passwords")
            .Line(DeployPaths.AssignRoot(context.Config.DeployTo))
            .Raw(ReportKey.AssignPrefix)
            .Raw(EnvLines.Functions)
            .Raw(DatabaseUrlsReport.Lines)
            .Raw(AppSecretsReport.Lines(context.Config.Setup!.Secrets))
            .Build() with { AsRoot = true };
        var runs = await fleet.RunAsync(h => web.Any(w => w.Key == h.Key) ? script : null, null, quiet: true, cancel).ConfigureAwait(false);
        var reports = runs.Select(r => (r.Host, Passwords: DatabaseUrlsReport.Read(r), Secrets: AppSecretsReport.Read(r))).ToList();
        KnownSecrets.AddRange(reports.SelectMany(r => new[] { r.Passwords.App, r.Passwords.Owner }.OfType<string>().Concat(r.Secrets.Values.Values)));
        // A host that could not be read reported nothing, which is not "nothing kept yet": new passwords would reach
        // PostgreSQL (or a new secret the other hosts) while that host's app kept the old ones.
        if (runs.Where(r => !r.Ok).ToList() is { Count: > 0 } unread)
        {
            throw new HoistException(string.Join('\n', unread.Select(r =>
                $"{r.Host.Display}: could not read the passwords and secrets kept in {context.Config.DeployTo}/shared/.env and .env.migrate (exit {r.ExitCode})" +
                (r.Output.Count > 0 ? ": " + r.Tail(3) : ""))) + "\nno host was changed; fix the host (its sudo, its connection) and run `hoist setup` again");
        }

        return reports;
    }

    /// <summary>The passwords of these roles in the first web host's URLs that have them, or null for each that none has.</summary>
    private static (string? App, string? Owner) Passwords(IEnumerable<DatabaseUrlsReport> reports, DatabaseSetup db)
    {
        var all = reports.ToList();
        string? Find(IEnumerable<string?> urls, string role) => urls
            .OfType<string>()
            .Select(Credentials)
            .FirstOrDefault(c => c?.User == role)?.Password;
        return (Find(all.Select(r => r.App), db.User), Find(all.Select(r => r.Owner), db.Owner));
    }

    /// <summary>setup.secrets' values (<see cref="AppSecretPlan"/>), said without them; a rotation needs every web host in the run.</summary>
    private IReadOnlyList<KeyValuePair<string, string>> ChooseAppSecrets(
        SetupConfig setup, SetupRequest request, IReadOnlyList<(HostConfig Host, DatabaseUrlsReport Passwords, AppSecretsReport Secrets)> kept, bool everyWeb, SetupLog log)
    {
        if (request.RotateSecrets.Count > 0 && !everyWeb)
        {
            throw HoistException.Usage("--rotate-secret needs every web host in the same run (they must all get the new value); drop --role/--host");
        }

        var choices = AppSecretPlan.Choose(setup.Secrets, request.RotateSecrets, kept.Select(k => (k.Host.Display, k.Secrets)).ToList(), AppSecretPlan.NewValue);
        // Known before any host runs a script, so no host's output or failure can show them.
        KnownSecrets.AddRange(choices.Select(c => c.Value));
        var would = request.DryRun ? "would " : "";
        foreach (var choice in choices)
        {
            context.Reporter.Info(choice.Source switch
            {
                AppSecretSource.Generated => $"{choice.Name}: {would}generate one (256 random bits, the same on every web host; not shown)",
                AppSecretSource.Rotated => $"{choice.Name}: {would}rotate (--rotate-secret: a new value on every web host; not shown)",
                _ when choice.Missing.Count > 0 => $"{choice.Name}: {(request.DryRun ? "would give" : "giving")} {string.Join(", ", choice.Missing)} the value the other web hosts keep (not shown)",
                _ => $"{choice.Name}: kept (the web hosts' value)",
            });
        }

        log.Rotated(choices.Where(c => c.Source == AppSecretSource.Rotated).Select(c => c.Name));
        return choices.Select(c => KeyValuePair.Create(c.Name, c.Value)).ToList();
    }

    /// <summary>Each --rotate-secret names one of setup.secrets, checked before any host is contacted.</summary>
    private static void CheckRotateSecrets(SetupConfig setup, IReadOnlyList<string> rotate)
    {
        var unknown = rotate.Where(n => !setup.Secrets.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw HoistException.Usage($"--rotate-secret {string.Join(", ", unknown)}: not in setup.secrets, " + (setup.Secrets.Count == 0
                ? "which is empty; list the names setup generates under setup: as `secrets: [SECRET_KEY]`"
                : $"which lists {string.Join(", ", setup.Secrets)}"));
        }
    }

    /// <summary>Setup reads back what the web hosts keep: the database passwords, setup.secrets' values.</summary>
    private static bool KeepsValues(SetupConfig setup) => setup.Database is not null || setup.Secrets.Count > 0;
}
