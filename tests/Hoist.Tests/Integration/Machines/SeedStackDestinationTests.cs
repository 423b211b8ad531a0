namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>
/// A staging overlay on the seed's machines: hoist.staging.yml puts a second app on web2 alone, in its own deploy_to,
/// with nothing that touches production's (no serve, setup, migrate, lb or health gate, so no unit, nginx or database
/// is reached), and removes it afterwards: the stack is left as the other tests expect it.
/// </summary>
public sealed partial class SeedStackTests
{
    private const string StagingDeployTo = "/srv/hoistflask-staging";

    [Fact]
    public async Task Staging_Overlay_Deploys_To_Web2_Alone_In_Its_Own_Deploy_To_With_Its_Env_And_Leaves_Production_As_It_Was()
    {
        var overlay = stack.Dir.Combine("hoist.staging.yml");
        var before = await CurrentsAsync();
        try
        {
            await File.WriteAllTextAsync(overlay, $"""
                app: hoistflask-staging
                deploy_to: {StagingDeployTo}
                hosts:
                  web: [root@{stack.Address("web2")}]
                  db: ~
                  lb: ~
                env: {"{"} STAGE: staging {"}"}
                build:
                  - python3 -m compileall -q myproject wsgi.py
                  - printf '%s' "$STAGE" > stage
                shared: ~
                migrate: ~
                serve: ~
                setup: ~
                deploy: {"{"} health_url: ~ {"}"}

                """);

            var check = await stack.HoistAsync("-d", "staging", "check");
            output.WriteLine($"check -d staging: exit {check.ExitCode}\n{check.All}");
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains($"config {stack.Dir.Combine("hoist.yml")} + hoist.staging.yml: ok (destination staging, 1 host(s))", check.Stdout);

            var deploy = await stack.HoistAsync("-d", "staging", "deploy", "-m", "staging try");
            output.WriteLine($"deploy -d staging: exit {deploy.ExitCode}\n{Lines(deploy, "destination", "is live", "error")}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            Assert.Equal($"destination staging: {stack.Dir.Combine("hoist.yml")} + hoist.staging.yml", deploy.Stdout.Split('\n')[0]);

            var web2 = await stack.Testbed.SshAsync("web2", $"cat {StagingDeployTo}/current/stage; echo; tail -n 1 {StagingDeployTo}/.hoist/audit.log");
            output.WriteLine($"web2: {web2.Stdout}");
            var lines = web2.Stdout.Split('\n');
            Assert.Equal("staging", lines[0]);
            Assert.Matches(@"^\S+ \S+ deploy destination=staging release=\d{14} revision=[0-9a-f]{40} previous=- migrate=none message=staging try$", lines[1]);
            var web1 = await stack.Testbed.SshAsync("web1", $"test -e {StagingDeployTo} && echo there || echo absent");
            Assert.Equal("absent", web1.Stdout.Trim());
            Assert.Equal(before, await CurrentsAsync());
            var production = await stack.Testbed.SshAsync("web2", $"grep -c destination= {SeedStack.DeployTo}/.hoist/audit.log || true");
            Assert.Equal("0", production.Stdout.Trim());
        }
        finally
        {
            File.Delete(overlay);
            await stack.Testbed.SshAsync("web2", $"rm -rf {StagingDeployTo}");
        }
    }
}
