namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>
/// fetch: local on the seed's machines: the repository is served on this machine's 127.0.0.1 only, which no machine
/// can reach, and an overlay (hoist.fetchlocal.yml: repo and fetch alone) deploys it to the whole stack, migrate, lb
/// and health gate included. The stack is left serving that release, a good one, as the other tests expect.
/// </summary>
public sealed partial class SeedStackTests
{
    [Fact]
    public async Task Fetch_Local_Deploys_A_Repository_No_Machine_Can_Reach_And_Both_Web_Hosts_Serve_The_New_Commit()
    {
        using var daemon = await GitDaemon.StartAsync(stack.Dir.Path, "127.0.0.1");
        var url = daemon.Url("myproject.git");
        var overlay = stack.Dir.Combine("hoist.fetchlocal.yml");
        try
        {
            await File.WriteAllTextAsync(overlay, $"repo: {url}\nfetch: local\n");
            var commit = await stack.CommitAsync("fetched by the deploying machine", ("static/fetch-local.txt", "sent by fetch: local\n"));

            var reach = await stack.Testbed.SshAsync("web1", $"git ls-remote {url}");
            output.WriteLine($"web1: git ls-remote {url}: exit {reach.ExitCode}: {reach.Stderr.Trim()}");
            Assert.NotEqual(0, reach.ExitCode);
            Assert.Contains("Connection refused", reach.Stderr, StringComparison.Ordinal);

            var deploy = await stack.HoistAsync("-d", "fetchlocal", "deploy", "-m", "fetch local");
            output.WriteLine($"deploy -d fetchlocal: exit {deploy.ExitCode}\n{Lines(deploy, "fetch: local", "is live", "error")}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            Assert.Contains($"fetch: local: main of {url} is {commit} (", deploy.Stdout, StringComparison.Ordinal);

            foreach (var web in stack.WebHosts)
            {
                var revision = await stack.Testbed.SshAsync(web, $"cat {SeedStack.DeployTo}/current/REVISION");
                using var http = stack.Http(web);
                var served = await http.GetStringAsync("static/fetch-local.txt");
                var (page, _) = await stack.WaitForPageAsync(web, TimeSpan.FromSeconds(20));
                output.WriteLine($"{web}: REVISION {revision.Stdout.Trim()}, static/fetch-local.txt: {served.Trim()}, page {page.Length} chars");
                Assert.Equal(commit, revision.Stdout.Trim());
                Assert.Equal("sent by fetch: local\n", served);
            }
        }
        finally
        {
            File.Delete(overlay);
        }
    }
}
