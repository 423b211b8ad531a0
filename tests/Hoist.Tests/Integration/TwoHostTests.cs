namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary>Two real sshd hosts at once (each with its own home folder): exec and deploy run on both in parallel.</summary>
public sealed class TwoHostTests : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync()
    {
        (one, two) = (await TestSshd.StartAsync(), await TestSshd.StartAsync());
        // One known_hosts and one client key for both hosts, as a user would have.
        await File.AppendAllTextAsync(one.KnownHosts, await File.ReadAllTextAsync(two.KnownHosts));
        File.Copy(one.ClientKey + ".pub", Path.Combine(Path.GetDirectoryName(two.KnownHosts)!, "authorized_keys"), overwrite: true);
    }

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Runs_On_Both_Hosts_With_Output_Prefixed_By_Host()
    {
        var project = Project.Create(dir, one, "upload: .", "env: { GREETING: hello }", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--", "echo $GREETING from $SSH_CONNECTION");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($@"\[127\.0\.0\.1:{one.Port}\] hello from \S+ \d+ 127\.0\.0\.1 {one.Port}", result.Stdout);
        Assert.Matches($@"\[127\.0\.0\.1:{two.Port}\] hello from \S+ \d+ 127\.0\.0\.1 {two.Port}", result.Stdout);
    }

    [Fact]
    public async Task Fails_When_Any_Host_Fails_And_Names_It()
    {
        var project = Project.Create(dir, one, "upload: .", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--", $"test \"${{SSH_CONNECTION##* }}\" != {two.Port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the command failed on 1 of 2 host(s): 127.0.0.1:{two.Port} (exit 1)", result.Stderr);
    }

    [Fact]
    public async Task Deploy_Switches_Every_Host_Or_None()
    {
        var repo = await Repo.CreateAsync(dir);
        var v1 = await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = Project.Create(dir, one, $"repo: {repo.Bare}", $"build: [\"test ! -e fail-on-two || test \\\"$HOME\\\" != {two.Home}\"]",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        foreach (var home in new[] { one.Home, two.Home })
        {
            Assert.Equal(v1 + "\n", File.ReadAllText(Path.Combine(home, "app", "current", "REVISION")));
        }

        Assert.Contains($"[127.0.0.1:{one.Port}] ok: release", deploy.Stdout);
        Assert.Contains($"[127.0.0.1:{two.Port}] ok: release", deploy.Stdout);
        var live = Directory.GetDirectories(Path.Combine(one.Home, "app", "releases"));

        await repo.CommitAsync("v2", ("index.html", "v2"), ("fail-on-two", ""));
        var failed = await project.HoistAsync("deploy");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"127.0.0.1:{two.Port}: step 'build: test ! -e fail-on-two", failed.Stderr);
        Assert.Contains("current is unchanged on every host", failed.Stderr);
        foreach (var home in new[] { one.Home, two.Home })
        {
            Assert.Equal(v1 + "\n", File.ReadAllText(Path.Combine(home, "app", "current", "REVISION")));
            Assert.Equal("v1", File.ReadAllText(Path.Combine(home, "app", "current", "index.html")));
            Assert.False(Directory.Exists(Path.Combine(home, "app", ".hoist", "lock")));
        }

        // Host one built v2 fine, but it never went live and its unfinished release is gone.
        Assert.Equal(live, Directory.GetDirectories(Path.Combine(one.Home, "app", "releases")));
    }

    [Fact]
    public async Task Host_Filter_Runs_On_One_Host()
    {
        var project = Project.Create(dir, one, "upload: .", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--host", two.Address, "--", "echo ran");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"[127.0.0.1:{two.Port}] ran", result.Stdout.Trim());
    }
}
