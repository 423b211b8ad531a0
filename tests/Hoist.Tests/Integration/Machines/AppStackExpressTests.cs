namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Net;
using Hoist.Tests.Support;

/// <summary>
/// An Express skeleton as express-generator 4.16.1 makes it (<c>express --no-view myapp</c>), unmodified: its bin/www
/// run by hoist serve's <c>command:</c> in 2 workers, each on the PORT hoist serve gives it, behind one socket; its
/// dependencies Debian's node-* packages, which require() finds in /usr/share/nodejs with no node_modules (the hosts
/// have no npm registry, so no <c>npm ci</c>); a redeploy reloads it under a stream of requests, none failing.
/// </summary>
public sealed partial class AppStackTests
{
    private const string ExpressApp = "myapp";
    private const string ExpressDeployTo = "/srv/myapp";
    private const string ExpressServerName = "express.test";

    [Fact]
    public async Task Express_Generator_Skeleton_Runs_Two_Workers_On_Debians_Node_Packages_And_Reloads_With_No_Failed_Request()
    {
        var (repo, url) = await stack.RepoAsync(ExpressApp);
        var generated = stack.Dir.Combine("express-generator");
        Directory.CreateDirectory(generated);
        var made = await Run.ProcessAsync("express", ["--no-view", ExpressApp], generated, new Dictionary<string, string> { ["NO_UPDATE_NOTIFIER"] = "1" });
        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.True(File.Exists(Path.Combine(generated, ExpressApp, "bin", "www")), made.ToString());
        await Run.ShellAsync($"cp -a {ExpressApp}/. '{repo.Work}'/", generated);
        await repo.CommitAsync("express --no-view (express-generator 4.16.1)");
        var yml = $"""
            app: {ExpressApp}
            repo: {url}
            branch: main
            deploy_to: {ExpressDeployTo}
            {stack.HostsAndSsh(db: false)}
            # package.json's dependencies are Debian's node-* packages (setup.packages), which require() finds in
            # /usr/share/nodejs: no node_modules, no npm ci (no registry on the hosts). This fails the deploy, naming
            # the package, when one is not there.
            build:
              - node -e 'for (const d of Object.keys(require("./package.json").dependencies)) require.resolve(d)'
            serve:
              socket: {ExpressDeployTo}/shared/run/app.sock
              workers: 2
              chdir: {ExpressDeployTo}/current
              # bin/www listens on $PORT, which hoist serve gives each worker.
              command: node ./bin/www
              healthcheck: /users
              logto: {ExpressDeployTo}/shared/log/serve.log
            setup:
              packages:
                web: [nodejs, node-express, node-cookie-parser, node-morgan, node-debug]
              nginx:
                server_name: {ExpressServerName}
            """;
        File.WriteAllText(Path.Combine(stack.AppDir(ExpressApp), "hoist.yml"), yml);
        output.WriteLine($"hoist.yml:\n{yml}\n");

        var setup = await stack.HoistAsync(ExpressApp, "setup");
        Show("setup", setup);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        var deploy = await stack.HoistAsync(ExpressApp, "deploy");
        Show("deploy", deploy);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = stack.Http(ExpressServerName);
        var index = await http.GetStringAsync("");
        var users = await http.GetStringAsync("users");
        var host = await stack.Testbed.SshAsync("web1", $"ls -d {ExpressDeployTo}/current/node_modules 2>/dev/null || echo 'no node_modules'; " +
            $"ps -o args= -u {ExpressApp} | grep -c '^node ./bin/www' || true");
        output.WriteLine($"GET / {index.Contains("Welcome to Express", StringComparison.Ordinal)}; GET /users: {users}; web1: {host.Stdout.Trim().Replace('\n', ';')}");
        Assert.Contains("<h1>Express</h1>", index, StringComparison.Ordinal);
        Assert.Equal("respond with a resource", users);
        Assert.Equal(["no node_modules", "2"], host.Stdout.Trim().Split('\n'));

        // A redeploy (a new commit) reloads the workers one at a time while requests keep coming; the loop is bounded.
        await repo.CommitAsync("a note of the user's", ("DEPLOYED.txt", "deployed with hoist\n"));
        var redeploying = stack.HoistAsync(ExpressApp, "deploy");
        var (ok, failed, firstFailure) = (0, 0, "");
        var clock = Stopwatch.StartNew();
        while (!redeploying.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            try
            {
                using var answer = await http.GetAsync("users");
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    ok++;
                    continue;
                }

                firstFailure = firstFailure is "" ? $"{(int)answer.StatusCode}" : firstFailure;
            }
            catch (HttpRequestException e)
            {
                firstFailure = firstFailure is "" ? e.Message : firstFailure;
            }

            failed++;
        }

        var redeploy = await redeploying;
        Show("redeploy", redeploy);
        var pids = await stack.Testbed.SshAsync("web1", $"cat {ExpressDeployTo}/current/REVISION; ls {ExpressDeployTo}/releases | wc -l");
        output.WriteLine($"during the redeploy ({clock.Elapsed.TotalSeconds:0.0} s): {ok} x 200, {failed} failed{(failed > 0 ? $" (first: {firstFailure})" : "")}; web1: {pids.Stdout.Trim().Replace('\n', ';')}");
        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
        Assert.Equal(0, failed);
        Assert.True(ok > 20, $"only {ok} requests during the redeploy");
        Assert.Equal("2", pids.Stdout.Trim().Split('\n')[1]);
    }
}
