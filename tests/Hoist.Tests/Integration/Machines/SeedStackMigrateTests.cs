namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>migrate: on the machines (web1, web2, db1): once per deploy for two web hosts, as the owner role, before any switch.</summary>
public sealed partial class SeedStackTests
{
    /// <summary>
    /// Counts its runs in PostgreSQL (a table only the owner role may create), with current_user, the host and that
    /// host's current; where /tmp/migrate-gate exists, waits (bounded) for /tmp/migrate-go, so the test can look at
    /// both hosts mid-migration; with a fail-migrate file in the release, fails after counting.
    /// </summary>
    private const string Probe = """
        import os, socket, sys, time
        import psycopg2
        connection = psycopg2.connect(os.environ["DATABASE_URL"])
        with connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS migrate_runs (at timestamptz NOT NULL DEFAULT now(), who text, host text, release text, live text)")
            cursor.execute("INSERT INTO migrate_runs (who, host, release, live) VALUES (current_user, %s, %s, %s)",
                           (socket.gethostname(), os.environ["HOIST_RELEASE"], os.path.basename(os.readlink(os.environ["HOIST_DEPLOY_TO"] + "/current"))))
        connection.close()
        if os.path.exists("/tmp/migrate-gate"):
            open("/tmp/migrate-waiting", "w").close()
            deadline = time.monotonic() + 120
            while not os.path.exists("/tmp/migrate-go") and time.monotonic() < deadline:
                time.sleep(0.05)
        if os.path.exists("fail-migrate"):
            print("migrate_probe: failing on purpose", flush=True)
            sys.exit(3)
        print("migrate_probe: counted", flush=True)
        """;

    [Fact]
    public async Task Migrate_Runs_Once_For_Two_Web_Hosts_As_The_Owner_Before_Any_Switch_And_A_Failing_One_Switches_Nothing()
    {
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        Assert.Contains("migrate: python3 -m myproject.migrate\n", original, StringComparison.Ordinal);
        try
        {
            await File.WriteAllTextAsync(config, original.Replace("migrate: python3 -m myproject.migrate\n", "migrate: [python3 -m myproject.migrate, python3 migrate_probe.py]\n", StringComparison.Ordinal));
            await stack.CommitAsync("a migration that counts its runs", ("migrate_probe.py", Probe));
            var before = await CurrentsAsync();
            foreach (var web in stack.WebHosts)
            {
                await stack.Testbed.SshAsync(web, "rm -f /tmp/migrate-waiting /tmp/migrate-go; touch /tmp/migrate-gate");
            }

            var deploying = stack.HoistAsync("deploy", "-m", "migrate once");
            var watch = Stopwatch.StartNew();
            var waiting = new List<string>();
            while (waiting.Count == 0 && !deploying.IsCompleted)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(300), "no migration started within 300 s");
                foreach (var web in stack.WebHosts)
                {
                    if ((await stack.Testbed.SshAsync(web, "test -e /tmp/migrate-waiting")).ExitCode == 0)
                    {
                        waiting.Add(web);
                    }
                }
            }

            // Mid-migration: every host has built (the release exists), and none has switched.
            var during = await CurrentsAsync();
            var built = await Task.WhenAll(stack.WebHosts.Select(w => stack.Testbed.SshAsync(w, $"ls {SeedStack.DeployTo}/releases | wc -l")));
            output.WriteLine($"migration waiting on: {string.Join(", ", waiting)} after {watch.Elapsed.TotalSeconds:F1} s; current before {Show(before)}, during {Show(during)}; releases {string.Join(", ", built.Select(b => b.Stdout.Trim()))}");
            foreach (var web in waiting)
            {
                await stack.Testbed.SshAsync(web, "touch /tmp/migrate-go");
            }

            var deploy = await deploying;
            output.WriteLine($"deploy: exit {deploy.ExitCode}\n{deploy.Stdout}{deploy.Stderr}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            Assert.Equal(["web1"], waiting);
            Assert.Equal(before, during);
            var after = await CurrentsAsync();
            Assert.Single(after.Values.Distinct());
            Assert.NotEqual(before["web1"], after["web1"]);
            var release = after["web1"];

            var owner = Regex.Match((await stack.Testbed.SshAsync("web1", $"cat {SeedStack.DeployTo}/.env.migrate")).Stdout, "://([^:@/]+):").Groups[1].Value;
            var runs = (await Db($"SELECT who, host, live FROM migrate_runs WHERE release = '{release}'")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            output.WriteLine($"migrate_runs for {release}: {string.Join("; ", runs)} (owner role {owner}; the app's is {SeedStack.App}_app)");
            Assert.Equal([$"{owner}|web1|{before["web1"]}"], runs);
            Assert.NotEqual($"{SeedStack.App}_app", owner);
            Assert.Contains("migrate=ran", (await stack.Testbed.SshAsync("web2", $"tail -n 1 {SeedStack.DeployTo}/.hoist/audit.log")).Stdout, StringComparison.Ordinal);

            // A failing migration: nothing switches on either host, no new release is kept, no lock is left.
            foreach (var web in stack.WebHosts)
            {
                await stack.Testbed.SshAsync(web, "rm -f /tmp/migrate-gate /tmp/migrate-waiting /tmp/migrate-go");
            }

            var releasesBefore = await ReleasesAsync();
            await stack.CommitAsync("a migration that fails", ("fail-migrate", ""));
            var failed = await stack.HoistAsync("deploy", "-m", "failing migration");
            output.WriteLine($"failing migration: exit {failed.ExitCode}\n{failed.Stdout}{failed.Stderr}");
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("migrate 'python3 migrate_probe.py' failed (exit 3)", failed.Stderr, StringComparison.Ordinal);
            Assert.Contains("migrate_probe: failing on purpose", failed.Stderr, StringComparison.Ordinal);
            Assert.Equal(after, await CurrentsAsync());
            Assert.Equal(releasesBefore, await ReleasesAsync());
            foreach (var web in stack.WebHosts)
            {
                Assert.NotEqual(0, (await stack.Testbed.SshAsync(web, $"test -e {SeedStack.DeployTo}/.hoist/lock")).ExitCode);
                using var http = stack.Http(web);
                Assert.Equal(release, Release(await http.GetStringAsync("")));
            }
        }
        finally
        {
            // The stack is left as the other tests expect it: the seed's config, a good release live.
            await File.WriteAllTextAsync(config, original);
            foreach (var web in stack.WebHosts)
            {
                await stack.Testbed.SshAsync(web, "rm -f /tmp/migrate-gate /tmp/migrate-waiting /tmp/migrate-go");
            }

            await Run.ShellAsync($"cd '{stack.Repo.Work}' && git rm -q --ignore-unmatch fail-migrate migrate_probe.py");
            await stack.CommitAsync("the probe removed");
            var restored = await stack.HoistAsync("deploy", "-m", "probe removed");
            output.WriteLine($"deploy after the probe: exit {restored.ExitCode}");
        }
    }

    private async Task<Dictionary<string, string>> CurrentsAsync()
    {
        var currents = new Dictionary<string, string>();
        foreach (var web in stack.WebHosts)
        {
            currents[web] = (await stack.Testbed.SshAsync(web, $"basename \"$(readlink {SeedStack.DeployTo}/current)\"")).Stdout.Trim();
        }

        return currents;
    }

    private async Task<string> ReleasesAsync() =>
        string.Join(" / ", await Task.WhenAll(stack.WebHosts.Select(async w => (await stack.Testbed.SshAsync(w, $"ls {SeedStack.DeployTo}/releases | tr '\\n' ' '")).Stdout.Trim())));

    private async Task<string> Db(string sql) =>
        (await stack.Testbed.SshAsync("db1", $"runuser -u postgres -- psql -X -At -d {SeedStack.App} -c \"{sql}\"")).Stdout;

    private static string Show(Dictionary<string, string> currents) => string.Join(", ", currents.Select(c => $"{c.Key}={c.Value}"));
}
