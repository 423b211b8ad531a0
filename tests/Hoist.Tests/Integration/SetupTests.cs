namespace Hoist.Tests.Integration;

using System.Collections.Concurrent;
using System.Net;
using Hoist.Tests.Examples;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The seed chapter's two machines, end to end: in a testbed with web1 and db1 (network namespaces, each with its
/// own sshd, nginx and, for db1, PostgreSQL), `hoist setup` then `hoist deploy` of examples/flask from a git
/// repository, all over real SSH, as root, with real nginx, PostgreSQL, hoist serve and gunicorn.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class SetupTests(AspnetExample aspnet, ITestOutputHelper output) : IClassFixture<AspnetExample>
{
    private const string App = "hoistflask";
    private const string User = "hoistflask";
    private const string AspnetApp = "hoistaspnet";
    private const string Deployer = "hoistdeployer";

    [Fact]
    public async Task Setup_Then_Deploy_Serves_The_Flask_App_From_Postgres_On_Another_Host_With_Least_Privilege()
    {
        using var dir = new TempDir("hoist-setup");
        try
        {
            await using var testbed = await Testbed.StartAsync("web1", "db1");
            await RunAsync(testbed, dir);
        }
        finally
        {
            // After the testbed is down (its processes gone): the namespaces share this machine's /etc/passwd.
            await Run.ShellAsync($"userdel {User} 2>/dev/null; groupdel {User} 2>/dev/null; true");
        }
    }

    private async Task RunAsync(Testbed testbed, TempDir dir)
    {
        var web = testbed.Address("web1");
        var db = testbed.Address("db1");
        // The app's user and nginx's reach the deploy folder through this temp folder.
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        var repo = await Repo.CreateAsync(dir, "myproject");
        await Run.ShellAsync($"cp -r '{SourceTree.Combine("examples", "flask")}'/. '{repo.Work}'/ && rm -f '{repo.Work}/hoist.yml'");
        await repo.CommitAsync("the seed app");
        var deployTo = dir.Combine("srv", App);
        var yaml = Config(repo.Bare, deployTo, testbed, web, db, dir.Combine("bin", "hoist"), "myproject.test");
        dir.Write("hoist.yml", yaml);

        // Every process's command line, sampled while setup and deploy run: no password may ever be in one.
        using var sampling = new CancellationTokenSource();
        var commandLines = new ConcurrentDictionary<string, byte>();
        var sampler = Task.Run(() => SampleCommandLinesAsync(commandLines, sampling.Token));

        var dryFirst = await HoistCli.RunAsync(dir.Path, "setup", "--dry-run");
        var setup = await HoistCli.RunAsync(dir.Path, "setup", "--verbose");
        var deploy = await HoistCli.RunAsync(dir.Path, "deploy", "--verbose");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{web}/"), Timeout = TimeSpan.FromSeconds(20) };
        var first = await http.GetStringAsync("");
        var page = await http.GetStringAsync("");
        using var css = await http.GetAsync("static/site.css");
        var pidFile = Path.Combine(deployTo, "shared", "run", "serve.pid");
        var servePid = (await File.ReadAllTextAsync(pidFile)).Trim();
        var again = await HoistCli.RunAsync(dir.Path, "setup");
        var dryAgain = await HoistCli.RunAsync(dir.Path, "setup", "--dry-run", "--verbose");
        await sampling.CancelAsync();
        await sampler;

        output.WriteLine($"setup --dry-run (first): exit {dryFirst.ExitCode}\n{dryFirst.Stdout}");
        output.WriteLine($"setup: exit {setup.ExitCode}\n{Items(setup)}");
        output.WriteLine($"deploy: exit {deploy.ExitCode}\n{deploy.Stdout.Split('\n').LastOrDefault(l => l.Contains("is live", StringComparison.Ordinal))}");
        output.WriteLine($"setup again: exit {again.ExitCode}\n{again.Stdout}");
        Assert.True(dryFirst.ExitCode == 0, dryFirst.ToString());
        Assert.True(setup.ExitCode == 0, setup.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());

        // The page: rows the app wrote to PostgreSQL on db1, read back from there.
        Assert.Contains("visit-1", first, StringComparison.Ordinal);
        Assert.Contains("visit-2", page, StringComparison.Ordinal);
        var rows = await testbed.ExecAsync("db1", $"runuser -u postgres -- psql -X -At -d {App} -c 'SELECT count(*) FROM visits'");
        Assert.True(rows.ExitCode == 0 && int.Parse(rows.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 2, rows.ToString());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);

        // The app runs as its user, not root; .env is that user's, 0600.
        var uid = (await Run.ShellAsync($"id -u {User}")).Trim();
        var workerUids = WorkerUids(deployTo);
        output.WriteLine($"gunicorn worker processes run as uid {string.Join(", ", workerUids)} ({User} is {uid})");
        Assert.Equal([uid, uid], workerUids);
        var env = Path.Combine(deployTo, "shared", ".env");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(env));
        Assert.Equal(User, (await Run.ShellAsync($"stat -c %U '{env}'")).Trim());

        // Second setup: every item ok, nothing changed, hoist serve not restarted.
        Assert.Contains($"[{web}] ok: 0 changed", again.Stdout, StringComparison.Ordinal);
        Assert.Contains($"[{db}] ok: 0 changed", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("changed ", again.Stdout.Replace("0 changed", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(servePid, (await File.ReadAllTextAsync(pidFile)).Trim());
        Assert.DoesNotContain(": would change", dryAgain.Stdout, StringComparison.Ordinal);

        // The app role reads and writes rows from the web host, and may not change the schema.
        var password = (await File.ReadAllLinesAsync(env)).Single(l => l.StartsWith("DATABASE_URL=", StringComparison.Ordinal)).Split(':')[2].Split('@')[0];
        foreach (var sql in new[] { "SELECT count(*) FROM visits", "INSERT INTO visits (worker, release, pid) VALUES ('t', 't', 1)", "UPDATE visits SET worker = 'u' WHERE worker = 't'", "DELETE FROM visits WHERE worker = 'u'" })
        {
            var allowed = await PsqlAsync(testbed, "web1", db, password, sql);
            Assert.True(allowed.ExitCode == 0, $"{sql}: {allowed}");
        }

        foreach (var sql in new[] { "CREATE TABLE t (x int)", "DROP TABLE visits", "ALTER TABLE visits ADD COLUMN y int" })
        {
            var denied = await PsqlAsync(testbed, "web1", db, password, sql);
            Assert.True(denied.ExitCode != 0 && (denied.Stderr.Contains("permission denied", StringComparison.Ordinal) || denied.Stderr.Contains("must be owner", StringComparison.Ordinal)), $"{sql}: {denied}");
            output.WriteLine($"as {App}_app: {sql}: {denied.Stderr.Trim()}");
        }

        // From a host that is not a web host (db1 itself, over its address), pg_hba refuses the app role.
        var outsider = await PsqlAsync(testbed, "db1", db, password, "SELECT 1");
        output.WriteLine($"as {App}_app from db1: {outsider.Stderr.Trim()}");
        Assert.Contains("pg_hba.conf rejects connection", outsider.Stderr, StringComparison.Ordinal);

        // No password in any output, nor in any command line seen while setup and deploy ran.
        var owner = (await File.ReadAllTextAsync(Path.Combine(deployTo, ".env.migrate"))).Split(':')[2].Split('@')[0];
        foreach (var result in new[] { dryFirst, setup, deploy, again, dryAgain })
        {
            Assert.DoesNotContain(password, result.Stdout + result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(owner, result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("[REDACTED]", dryAgain.Stdout, StringComparison.Ordinal);
        output.WriteLine($"{commandLines.Count} distinct command lines sampled");
        Assert.DoesNotContain(commandLines.Keys, line => line.Contains(password, StringComparison.Ordinal) || line.Contains(owner, StringComparison.Ordinal));

        // New passwords: the roles get new verifiers, .env the new URL, and hoist serve's new workers use it.
        var rotated = await HoistCli.RunAsync(dir.Path, "setup", "--rotate-db-password");
        var newPassword = (await File.ReadAllLinesAsync(env)).Single(l => l.StartsWith("DATABASE_URL=", StringComparison.Ordinal)).Split(':')[2].Split('@')[0];
        output.WriteLine($"setup --rotate-db-password: exit {rotated.ExitCode}\n{Items(rotated)}");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.NotEqual(password, newPassword);
        Assert.True((await PsqlAsync(testbed, "web1", db, newPassword, "SELECT 1")).ExitCode == 0);
        Assert.NotEqual(0, (await PsqlAsync(testbed, "web1", db, password, "SELECT 1")).ExitCode);
        Assert.Contains("visit-", await http.GetStringAsync(""), StringComparison.Ordinal);
        Assert.DoesNotContain(newPassword, rotated.Stdout + rotated.Stderr, StringComparison.Ordinal);

        // A broken nginx setting (a server_name nginx -t rejects) is refused, and the previous site keeps serving.
        dir.Write("hoist.yml", Config(repo.Bare, deployTo, testbed, web, db, dir.Combine("bin", "hoist"), "'~*'"));
        var broken = await HoistCli.RunAsync(dir.Path, "setup");
        output.WriteLine($"setup with server_name ~*: exit {broken.ExitCode}\n{broken.Stderr.Trim()}");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("nginx -t refused the new site", broken.Stdout + broken.Stderr, StringComparison.Ordinal);
        Assert.Contains("visit-", await http.GetStringAsync(""), StringComparison.Ordinal);
        var site = await testbed.ExecAsync("web1", $"grep server_name /etc/nginx/sites-available/{App}");
        Assert.Contains("server_name myproject.test;", site.Stdout, StringComparison.Ordinal);

        // /static/ is nginx's, from disk: with hoist serve stopped, the page is gone and the stylesheet is not.
        var stop = await Run.ShellAsync($"runuser -u {User} -- '{dir.Combine("bin", "hoist")}' serve --ini '{Path.Combine(deployTo, "shared", "serve.ini")}' --stop");
        output.WriteLine(stop.Trim());
        using var noApp = await http.GetAsync("");
        using var stillCss = await http.GetAsync("static/site.css");
        Assert.Equal(HttpStatusCode.BadGateway, noApp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillCss.StatusCode);
    }

    /// <remarks>Logged in as a user with passwordless sudo, not root: setup runs through `sudo -n`, deploys as that user.</remarks>
    [Fact]
    public async Task Setup_Then_Upload_Deploy_Of_Aspnet_As_A_Sudo_User_Keeps_Its_Counter_In_Postgres_On_Db1()
    {
        using var dir = new TempDir("hoist-setup-aspnet");
        try
        {
            // The hosts share this machine's /etc/passwd and /etc/sudoers.d: one account serves both.
            await Run.ShellAsync($"useradd -m -s /bin/bash {Deployer} && usermod -p '*' {Deployer} && " +
                $"echo '{Deployer} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/{Deployer} && chmod 440 /etc/sudoers.d/{Deployer}");
            await using var testbed = await Testbed.StartAsync("web1", "db1");
            var (web, db) = (testbed.Address("web1"), testbed.Address("db1"));
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
            var deployTo = dir.Combine("srv", AspnetApp);
            dir.Write("hoist.yml", $"""
                app: {AspnetApp}
                upload: {aspnet.Release}
                deploy_to: {deployTo}
                hosts:
                  web: {Deployer}@{web}
                  db: {Deployer}@{db}
                ssh:
                  key: {testbed.ClientKey}
                  known_hosts: {testbed.KnownHosts}
                shared: [.env]
                build:
                  - set -a; . "$HOIST_DEPLOY_TO/.env.migrate"; set +a; dotnet HoistDemo.dll migrate
                serve:
                  socket: {deployTo}/shared/run/app.sock
                  chmod_socket: 660
                  workers: 2
                  chdir: {deployTo}/current
                  command: dotnet HoistDemo.dll
                  healthcheck: /up
                  logto: {deployTo}/shared/log/serve.log
                  vacuum: true
                setup:
                  hoist_path: {dir.Combine("bin", "hoist")}
                  service: direct
                  nginx:
                    locations:
                      /static/: current/wwwroot/static
                """);

            var setup = await HoistCli.RunAsync(dir.Path, "setup");
            var deploy = await HoistCli.RunAsync(dir.Path, "deploy");
            output.WriteLine($"setup: exit {setup.ExitCode}; deploy: exit {deploy.ExitCode}\n{deploy.Stdout.Trim().Split('\n').Last()}");
            Assert.True(setup.ExitCode == 0, setup.ToString());
            Assert.True(deploy.ExitCode == 0, deploy.ToString());

            using var http = new HttpClient { BaseAddress = new Uri($"http://{web}/"), Timeout = TimeSpan.FromSeconds(20) };
            var first = await http.GetStringAsync("");
            var second = await http.GetStringAsync("");
            using var css = await http.GetAsync("static/site.css");
            var count = await testbed.ExecAsync("db1", $"runuser -u postgres -- psql -X -At -d {AspnetApp} -c 'SELECT count FROM visits WHERE id = 1'");
            output.WriteLine($"visits in PostgreSQL on db1: {count.Stdout.Trim()}; page says: {Between(second, "<dd id=\"visits\">", "</dd>")}; store: {Between(second, "<p class=\"store\">", "</p>")}");

            Assert.Contains($"PostgreSQL", second, StringComparison.Ordinal);
            Assert.Contains(db, second, StringComparison.Ordinal);
            Assert.Equal("2", count.Stdout.Trim());
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            var again = await HoistCli.RunAsync(dir.Path, "setup");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains($"[{web}] ok: 0 changed", again.Stdout, StringComparison.Ordinal);
            Assert.Contains($"[{db}] ok: 0 changed", again.Stdout, StringComparison.Ordinal);
            var password = (await File.ReadAllLinesAsync(Path.Combine(deployTo, "shared", ".env"))).Single(l => l.StartsWith("DATABASE_URL=", StringComparison.Ordinal)).Split(':')[2].Split('@')[0];
            Assert.DoesNotContain(password, setup.Stdout + setup.Stderr + deploy.Stdout + deploy.Stderr + first + second, StringComparison.Ordinal);
            // The release is the deploying user's; the app runs as its own user.
            var owners = await Run.ShellAsync($"stat -c %U '{deployTo}/current/' '{deployTo}' '{deployTo}/.env.migrate'; ps -o user= -C dotnet | sort -u");
            output.WriteLine($"owners of current, deploy_to, .env.migrate; dotnet workers' user: {owners.Replace('\n', ' ')}");
            Assert.Equal([Deployer, Deployer, Deployer, AspnetApp], owners.Trim().Split('\n').Select(l => l.Trim()).ToArray()[..4]);
        }
        finally
        {
            await Run.ShellAsync($"userdel {AspnetApp} 2>/dev/null; groupdel {AspnetApp} 2>/dev/null; rm -f /etc/sudoers.d/{Deployer}; userdel -r {Deployer} 2>/dev/null; true");
        }
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        return from < 0 || to < 0 ? "" : text[(from + start.Length)..to];
    }

    private static string Config(string repo, string deployTo, Testbed testbed, string web, string db, string hoistPath, string serverName) => $"""
        app: {App}
        repo: {repo}
        deploy_to: {deployTo}
        hosts:
          web: root@{web}
          db: root@{db}
        ssh:
          key: {testbed.ClientKey}
          known_hosts: {testbed.KnownHosts}
        shared: [.env, media]
        build:
          - set -a; . "$HOIST_DEPLOY_TO/.env.migrate"; set +a; /usr/bin/python3 -m myproject.migrate
        serve:
          socket: {deployTo}/shared/run/app.sock
          chmod_socket: 660
          workers: 2
          chdir: {deployTo}/current
          wsgi_file: wsgi.py
          callable: app
          healthcheck: /up
          pidfile: {deployTo}/shared/run/serve.pid
          logto: {deployTo}/shared/log/serve.log
          vacuum: true
        setup:
          user: {User}
          hoist_path: {hoistPath}
          service: direct
          nginx:
            server_name: {serverName}
        """;

    /// <summary>psql from inside a host to PostgreSQL on db1 as the app role; the password in the environment, not argv.</summary>
    private static Task<RunResult> PsqlAsync(Testbed testbed, string from, string db, string password, string sql) =>
        Run.ProcessAsync(
            "ip",
            ["netns", "exec", testbed.Namespace(from), "psql", "-X", "-At", "-h", db, "-U", $"{App}_app", "-d", App, "-c", sql],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "5" });

    /// <summary>
    /// The real uid of every hoist serve worker process (python3 running hoist_gunicorn.py) of this app: those working
    /// in a release under <paramref name="deployTo"/> (other tests run gunicorn workers of their own at the same time).
    /// </summary>
    private static List<string> WorkerUids(string deployTo) =>
        Directory.EnumerateDirectories("/proc")
            .Where(p => File.Exists(Path.Combine(p, "cmdline")))
            .Select(p => (Dir: p, Line: TryRead(Path.Combine(p, "cmdline")).Split('\0')))
            .Where(p => p.Line.Length > 1 && p.Line[0].EndsWith("python3", StringComparison.Ordinal) && p.Line[1].EndsWith("hoist_gunicorn.py", StringComparison.Ordinal))
            .Where(p => WorkingFolder(p.Dir).StartsWith(deployTo.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Select(p => TryRead(Path.Combine(p.Dir, "status")).Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t')[1] ?? "?")
            .ToList();

    private static string WorkingFolder(string proc)
    {
        try
        {
            return new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget ?? "";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Items(RunResult result) =>
        string.Join('\n', result.Stdout.Split('\n').Where(l => l.Contains(": changed", StringComparison.Ordinal) || l.Contains(": ok ", StringComparison.Ordinal) || l.Contains("] ok:", StringComparison.Ordinal)));

    private static async Task SampleCommandLinesAsync(ConcurrentDictionary<string, byte> seen, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var line = (await File.ReadAllTextAsync(Path.Combine(proc, "cmdline"), CancellationToken.None)).Replace('\0', ' ');
                    if (line.Length > 0)
                    {
                        seen.TryAdd(line, 0);
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            try
            {
                await Task.Delay(20, cancel);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
