namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary><c>hoist exec</c> on two real sshd hosts at once.</summary>
public sealed class ExecTests : IAsyncLifetime
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
    public async Task Host_Filter_Runs_On_One_Host()
    {
        var project = Project.Create(dir, one, "upload: .", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--host", two.Address, "--", "echo ran");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"[127.0.0.1:{two.Port}] ran", result.Stdout.Trim());
    }
}
