namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// migrate: on two real sshd hosts (each its own home, so its own deploy_to): once, on migrate_on's host only, in the
/// new release, while every host's current is still the old release; a failing one switches nothing anywhere.
/// </summary>
public sealed class MigrateTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OwnerUrl = "postgresql://owner:Xq7vR2mK9pL4wZ8t@db:5432/app";

    private readonly TempDir dir = new();
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync()
    {
        (one, two) = await TestSshd.StartPairAsync();
    }

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    private string Log(TestSshd host) => Path.Combine(host.Home, "migrations.log");

    private static string Current(TestSshd host) => Path.GetFileName(new DirectoryInfo(Path.Combine(host.Home, "app", "current")).LinkTarget ?? "none");

    private static string[] Releases(TestSshd host) =>
        Directory.GetDirectories(Path.Combine(host.Home, "app", "releases")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    private static string Audit(TestSshd host) => File.ReadAllText(Path.Combine(host.Home, "app", ".hoist", "audit.log"));

    private static bool Locked(TestSshd host) => Directory.Exists(Path.Combine(host.Home, "app", ".hoist", "lock"));

    /// <summary>The migration records where it ran, both hosts' current and its DATABASE_URL, in the home of the host it ran on.</summary>
    private async Task<Project> CreateAsync(Repo repo, string extra = "")
    {
        var record = $"echo \\\"$(pwd -P)|$(readlink {one.Home}/app/current || echo none)|$(readlink {two.Home}/app/current || echo none)|$DATABASE_URL|$(id -un)\\\" >> \\\"$HOME\\\"/migrations.log";
        var project = Project.Create(dir, one, $"repo: {repo.Bare}",
            $"migrate: [\"{record}\", \"echo url is $DATABASE_URL\", \"test ! -e fail-migrate || {{ echo migration failed here; exit 3; }}\"]\nmigrate_on: {two.Address}\n{extra}",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        // What hoist setup writes on a web host: the owner role's URL, the SSH user's, 0600.
        Directory.CreateDirectory(Path.Combine(two.Home, "app"));
        await File.WriteAllTextAsync(Path.Combine(two.Home, "app", ".env.migrate"), $"MIGRATE_DATABASE_URL={OwnerUrl}\n");
        File.SetUnixFileMode(Path.Combine(two.Home, "app", ".env.migrate"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return project;
    }

    [Fact]
    public async Task Runs_Once_On_Migrate_On_In_The_New_Release_Before_Any_Host_Switches()
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = await CreateAsync(repo);

        var first = await project.HoistAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        var v1 = Current(two);
        await repo.CommitAsync("v2", ("index.html", "v2"));
        var second = await project.HoistAsync("deploy");
        Assert.True(second.ExitCode == 0, second.ToString());
        var v2 = Current(two);

        var lines = File.ReadAllLines(Log(two));
        output.WriteLine($"migrations.log on {two.Address}:\n  {string.Join("\n  ", lines)}");
        output.WriteLine($"migrations.log on {one.Address}: {(File.Exists(Log(one)) ? "exists" : "none")}; releases {v1}, {v2}");
        output.WriteLine(second.Stdout);
        Assert.False(File.Exists(Log(one)));
        Assert.Equal(2, lines.Length);
        var root = new DirectoryInfo(Path.Combine(two.Home, "app")).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(Path.Combine(two.Home, "app"));
        // In the new release, while both hosts' current is still the release before it, with the owner's URL, as the SSH user.
        Assert.Equal($"{root}/releases/{v1}|none|none|{OwnerUrl}|root", lines[0]);
        Assert.Equal($"{root}/releases/{v2}|releases/{v1}|releases/{v1}|{OwnerUrl}|root", lines[1]);
        Assert.Equal(v2, Current(one));
        Assert.Contains($"[{two.Address}] url is postgresql://owner:[REDACTED]@db:5432/app", second.Stdout);
        Assert.DoesNotContain("Xq7vR2mK9pL4wZ8t", second.Stdout + second.Stderr);
        Assert.Contains($"[{two.Address}] migrate: as root in {root}/releases/{v2}; DATABASE_URL from the owner role (.env.migrate)", second.Stdout);
        Assert.Contains($"release={v2} revision=", Audit(one));
        Assert.Contains("migrate=ran", Audit(one).Split('\n')[^2]);
        Assert.Contains("migrate=ran", Audit(two).Split('\n')[^2]);
    }

    [Fact]
    public async Task A_Failing_Migration_Switches_No_Host_Removes_The_New_Releases_And_Unlocks()
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = await CreateAsync(repo);
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var (live, releasesOne, releasesTwo) = (Current(two), Releases(one), Releases(two));

        await repo.CommitAsync("v2", ("index.html", "v2"), ("fail-migrate", ""));
        var failed = await project.HoistAsync("deploy");
        output.WriteLine(failed.ToString());

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"error: {two.Address}: migrate 'test ! -e fail-migrate || {{ echo migration failed here; exit 3; }}' failed (exit 3) in release ", failed.Stderr);
        Assert.Contains("    migration failed here", failed.Stderr);
        Assert.Contains("nothing was switched: current is unchanged on every host", failed.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(live, Current(host));
            Assert.False(Locked(host), $"{host.Address} is still locked");
            Assert.Equal("v1", File.ReadAllText(Path.Combine(host.Home, "app", "current", "index.html")));
        }

        // Both hosts had built v2; neither keeps it.
        Assert.Equal(releasesOne, Releases(one));
        Assert.Equal(releasesTwo, Releases(two));
        output.WriteLine($"current {live} on both; releases {string.Join(",", releasesOne)} / {string.Join(",", releasesTwo)}");
    }

    [Fact]
    public async Task Skip_Migrate_Dry_Run_And_A_Host_Filter_Without_The_Migrate_Host()
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = await CreateAsync(repo);

        var dry = await project.HoistAsync("deploy", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"# migrate: on {two.Address} only, as root, in the new release, after every host's prepare and before any host's switch", dry.Stdout);
        Assert.Contains("migrate=ran", dry.Stdout);

        var filtered = await project.HoistAsync("deploy", "--host", one.Address);
        output.WriteLine(filtered.Stderr);
        Assert.Equal(2, filtered.ExitCode);
        Assert.Contains($"migrate: runs on {two.Address} (migrate_on, or the first web host), which this deploy does not select", filtered.Stderr);
        Assert.False(Directory.Exists(Path.Combine(one.Home, "app")));

        var skipped = await project.HoistAsync("deploy", "--skip-migrate");
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Contains($"migrate: skipped (--skip-migrate) on {two.Address}", skipped.Stdout);
        Assert.False(File.Exists(Log(two)));
        Assert.Contains("migrate=skipped", Audit(two));

        var plain = Project.Create(dir, one, $"repo: {repo.Bare}", hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        Assert.Equal(0, (await plain.HoistAsync("deploy")).ExitCode);
        output.WriteLine(Audit(one));
        Assert.Contains("migrate=none", Audit(one).Split('\n')[^2]);
    }

    [Fact]
    public async Task Hoist_Migrate_Runs_Alone_In_Current_Under_The_Lock_And_Audits()
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = await CreateAsync(repo);

        var early = await project.HoistAsync("migrate");
        output.WriteLine(early.Stderr);
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("nothing is deployed on this host yet", early.Stderr);
        Assert.False(Locked(one) || Locked(two));

        Assert.Equal(0, (await project.HoistAsync("deploy", "--skip-migrate")).ExitCode);
        var live = Current(two);
        var alone = await project.HoistAsync("migrate");
        output.WriteLine(alone.ToString());
        Assert.True(alone.ExitCode == 0, alone.ToString());
        var root = new DirectoryInfo(Path.Combine(two.Home, "app")).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(Path.Combine(two.Home, "app"));
        Assert.Equal($"{root}/releases/{live}|releases/{live}|releases/{live}|{OwnerUrl}|root", Assert.Single(File.ReadAllLines(Log(two))));
        Assert.False(File.Exists(Log(one)));
        Assert.Matches($@"migrate release={live} result=ok\n$", Audit(two));
        Assert.False(Locked(one) || Locked(two));

        // Held by another run: exit 75, nothing migrated.
        Directory.CreateDirectory(Path.Combine(two.Home, "app", ".hoist", "lock"));
        await File.WriteAllTextAsync(Path.Combine(two.Home, "app", ".hoist", "lock", "info"), "someone@else (pid 1) since then: deploy\n");
        var held = await project.HoistAsync("migrate");
        output.WriteLine(held.Stderr);
        Assert.Equal(75, held.ExitCode);
        Assert.Contains("deploy is locked by someone@else (pid 1) since then: deploy", held.Stderr);
        Assert.Single(File.ReadAllLines(Log(two)));
        Directory.Delete(Path.Combine(two.Home, "app", ".hoist", "lock"), recursive: true);

        File.WriteAllText(Path.Combine(two.Home, "app", "current", "fail-migrate"), "");
        var failing = await project.HoistAsync("migrate");
        output.WriteLine(failing.Stderr);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains($"{two.Address}: migrate 'test ! -e fail-migrate", failing.Stderr);
        Assert.Matches($@"migrate release={live} result=failed\n$", Audit(two));
        Assert.False(Locked(one) || Locked(two));
    }
}
