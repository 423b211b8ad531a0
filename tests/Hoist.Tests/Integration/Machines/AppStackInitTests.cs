namespace Hoist.Tests.Integration.Machines;

using System.Net;
using Hoist.Tests.Support;

/// <summary>
/// `hoist init --template KIND` in an empty folder, as a new user would start: the app and hoist.yml it writes
/// committed to a repository on the git daemon (aspnet has none: its local_build publishes it here and the folder is
/// uploaded), then setup and deploy with that config unchanged (the firewall it turns on included), and the app's
/// /up answering 200 and / its greeting through nginx on web1.
/// </summary>
public sealed partial class AppStackTests
{
    [Fact]
    public Task Init_Flask_Template_Sets_Up_And_Deploys_As_Written() => InitDeploysAsync("flask", "initflask");

    [Fact]
    public Task Init_Node_Template_Sets_Up_And_Deploys_As_Written() => InitDeploysAsync("node", "initnode");

    [Fact]
    public Task Init_Django_Template_Sets_Up_And_Deploys_As_Written() => InitDeploysAsync("django", "initdjango");

    /// <summary>
    /// No repository: the project's own `dotnet publish` (restoring from this machine's NuGet sources, as a user's
    /// would, with no config of the test's) writes bin/hoist-publish, self-contained, and that is the release.
    /// </summary>
    [Fact]
    public Task Init_Aspnet_Template_Publishes_Here_Uploads_And_Deploys_As_Written() => InitDeploysAsync("aspnet", "initaspnet");

    private async Task InitDeploysAsync(string kind, string app)
    {
        var serverName = app + ".test";
        var (repo, url) = kind == "aspnet" ? (null, null) : await stack.RepoAsync(app);
        var folder = repo?.Work ?? stack.AppDir(app);
        Task<RunResult> Hoist(params string[] args) => HoistCli.RunBinaryAsync(stack.Hoist, folder, TimeSpan.FromMinutes(8), args);

        var init = await Hoist(["init", "--template", kind, "--app", app, "--web", "root@" + stack.Address("web1"), "--db", "root@" + stack.Address("db1"),
            .. url is null ? Array.Empty<string>() : ["--repo", url], "--ssh-key", stack.Testbed.ClientKey, "--known-hosts", stack.Testbed.KnownHosts, "--server-name", serverName]);
        Show("init", init);
        Assert.True(init.ExitCode == 0, init.ToString());
        if (repo is not null)
        {
            await repo.CommitAsync("hoist init --template " + kind);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var setup = await Hoist("setup");
        var setupTime = watch.Elapsed;
        var deploy = await Hoist("deploy");
        output.WriteLine($"setup: exit {setup.ExitCode} in {setupTime.TotalSeconds:F1} s\n{string.Join('\n', setup.Stdout.Split('\n').Where(l => l.Contains("changed", StringComparison.Ordinal) || l.Contains("FAILED", StringComparison.Ordinal)))}");
        output.WriteLine($"deploy: exit {deploy.ExitCode} in {(watch.Elapsed - setupTime).TotalSeconds:F1} s\n{string.Join('\n', deploy.Stdout.Split('\n').Where(l => l.Contains("local build:", StringComparison.Ordinal)))}\n{deploy.Stdout.Trim().Split('\n').Last()}");
        Assert.True(setup.ExitCode == 0, setup.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = stack.Http(serverName);
        using var up = await http.GetAsync("up");
        var page = await http.GetStringAsync("");
        var firewall = await stack.Testbed.SshAsync("web1", "nft list table inet hoist >/dev/null && echo on || echo off");
        output.WriteLine($"GET /up through nginx: {(int)up.StatusCode}; GET /: {page.Trim()}; web1's firewall: {firewall.Stdout.Trim()}");
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal($"Hello from {app}", page.Trim());
        Assert.Equal("on", firewall.Stdout.Trim());
    }
}
