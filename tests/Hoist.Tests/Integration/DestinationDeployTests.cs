namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary>
/// A staging overlay end to end on two real sshd hosts: hoist.yml deploys production to host one, hoist.staging.yml
/// points at host two with its own deploy_to and env, and each deploy reaches only its own destination's hosts.
/// </summary>
public sealed class DestinationDeployTests : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync() => (one, two) = await TestSshd.StartPairAsync();

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Staging_Overlay_Deploys_Only_To_Its_Hosts_With_Its_Env_And_Audits_The_Destination()
    {
        var project = Project.Create(dir, one, "upload: .", "build: ['printf %s \"$GREETING\" > greeting']\nenv: { GREETING: production, KEPT: base }",
            hosts: one.Address, deployTo: "~/app");
        dir.Write("hoist.staging.yml", $"hosts:\n  web: [{two.Address}]\ndeploy_to: ~/staging\nenv: {{ GREETING: staging }}\n");

        var staging = await project.HoistAsync("-d", "staging", "deploy", "-m", "try it");

        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.Equal($"destination staging: {project.ConfigPath} + hoist.staging.yml", staging.Stdout.Split('\n')[0]);
        Assert.Equal("staging", File.ReadAllText(Path.Combine(two.Home, "staging", "current", "greeting")));
        Assert.False(Directory.Exists(Path.Combine(one.Home, "staging")), "the staging deploy reached production's host");
        Assert.False(Directory.Exists(Path.Combine(one.Home, "app")), "the staging deploy reached production's host");
        Assert.False(Directory.Exists(Path.Combine(two.Home, "app")), "the staging deploy used production's deploy_to");
        var audit = File.ReadAllText(Path.Combine(two.Home, "staging", ".hoist", "audit.log"));
        Assert.Matches(@"^\S+ \S+ deploy destination=staging release=\d{14} .* message=try it\n$", audit);

        var production = await project.HoistAsync("deploy");

        Assert.True(production.ExitCode == 0, production.ToString());
        Assert.DoesNotContain("destination", production.Stdout);
        Assert.Equal("production", File.ReadAllText(Path.Combine(one.Home, "app", "current", "greeting")));
        Assert.False(Directory.Exists(Path.Combine(two.Home, "app")), "the production deploy reached staging's host");
        Assert.Matches(@"^\S+ \S+ deploy release=\d{14} ", File.ReadAllText(Path.Combine(one.Home, "app", ".hoist", "audit.log")));

        var releases = await project.HoistAsync("-d", "staging", "releases");

        Assert.True(releases.ExitCode == 0, releases.ToString());
        Assert.Contains(two.Address, releases.Stdout);
        Assert.DoesNotContain(one.Address, releases.Stdout);
    }
}
