namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>hooks: on the machines: every phase's order and variables recorded, a failing before_switch on web2 only, after_rollback.</summary>
public sealed partial class SeedStackTests
{
    /// <summary>What each hook records, one line a run: phase, then where it ran and what it was told.</summary>
    private const string LocalRecord = "printf \"%s|%s|%s|%s|%s|%s\\n\" \"$HOIST_PHASE\" \"$HOIST_APP\" \"$HOIST_RELEASE\" \"$HOIST_REVISION\" \"$HOIST_HOSTS\" \"$HOIST_MESSAGE\"";

    /// <summary>On a host: phase, hostname, the user, the release it was told, the release live then (so the switch's place shows).</summary>
    private const string RemoteRecord = "printf \"%s|%s|%s|%s|%s\\n\" \"$HOIST_PHASE\" \"$(hostname)\" \"$(id -un)\" \"$HOIST_RELEASE\" \"$(basename \"$(readlink \"$HOIST_DEPLOY_TO/current\")\")\" >> /tmp/hooks.log";

    [Fact]
    public async Task Hooks_Run_In_Phase_Order_With_Their_Variables_On_Both_Web_Hosts_A_Failing_Before_Switch_On_Web2_Stops_The_Deploy_And_After_Rollback_Runs()
    {
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        var local = Path.Combine(stack.Dir.Path, "hooks.log");
        var failures = Path.Combine(stack.Dir.Path, "failures.log");
        string Quoted(string command) => "'" + command.Replace("'", "''", StringComparison.Ordinal) + "'";
        var hooks = $"""
            hooks:
              before_deploy:
                - local: {Quoted(LocalRecord + " >> " + local)}
              after_build:
                - local: {Quoted(LocalRecord + " >> " + local)}
                - remote: {Quoted(RemoteRecord)}
              before_switch:
                - local: {Quoted(LocalRecord + " >> " + local)}
                - remote: {Quoted("test ! -e /tmp/fail-before-switch || { echo \"before_switch: refusing on $(hostname)\"; exit 4; }; " + RemoteRecord)}
              after_switch:
                - local: {Quoted(LocalRecord + " >> " + local)}
                - remote: {Quoted(RemoteRecord)}
              after_deploy:
                - local: {Quoted(LocalRecord + " >> " + local)}
                - remote: {Quoted(RemoteRecord)}
                  once: true
              after_rollback:
                - local: {Quoted(LocalRecord + " >> " + local)}
                - remote: {Quoted(RemoteRecord)}
              on_failure:
                - local: {Quoted("printf \"%s|%s\\n\" \"$HOIST_PHASE\" \"$(printf %s \"$HOIST_ERROR\" | head -n 1)\" >> " + failures)}

            """;
        try
        {
            // The seed's config ends without a line break.
            await File.WriteAllTextAsync(config, original.TrimEnd('\n') + "\n" + hooks);
            await ClearHookLogsAsync(local, failures);
            var before = await CurrentsAsync();
            await stack.CommitAsync("a release the hooks see", ("hooked.txt", "1\n"));

            var deploy = await stack.HoistAsync("deploy", "-m", "hooked deploy");
            output.WriteLine($"deploy: exit {deploy.ExitCode}\n{Lines(deploy, "hook ", "is live", "error")}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            var after = await CurrentsAsync();
            var release = after["web1"];
            Assert.Equal(release, after["web2"]);
            Assert.NotEqual(before["web1"], release);
            var revision = (await Run.ShellAsync($"git -C '{stack.Repo.Work}' rev-parse HEAD")).Trim();

            // Here: every deploy phase once, in order, each told the app, the hosts and the message; the release from after_build on.
            var recorded = (await File.ReadAllLinesAsync(local)).Select(l => l.Split('|')).ToList();
            output.WriteLine($"local hooks:\n{string.Join('\n', recorded.Select(r => string.Join('|', r)))}");
            Assert.Equal(["before_deploy", "after_build", "before_switch", "after_switch", "after_deploy"], recorded.Select(r => r[0]));
            var hosts = $"{stack.Address("web1")},{stack.Address("web2")}";
            Assert.All(recorded, r => Assert.Equal<(string, string, string)>((SeedStack.App, hosts, "hooked deploy"), (r[1], r[4], r[5])));
            Assert.All(recorded.Skip(1), r => Assert.Equal<(string, string)>((release, revision), (r[2], r[3])));

            // On each web host: after_build and before_switch with the old release live, after_switch with the new one;
            // after_deploy (once) on web1 alone. As the deploying user (root here).
            foreach (var web in stack.WebHosts)
            {
                var lines = await RemoteHookLinesAsync(web);
                output.WriteLine($"{web} hooks:\n{string.Join('\n', lines)}");
                var expected = new List<string>
                {
                    $"after_build|{web}|root|{release}|{before[web]}",
                    $"before_switch|{web}|root|{release}|{before[web]}",
                    $"after_switch|{web}|root|{release}|{release}",
                };
                if (web == "web1")
                {
                    expected.Add($"after_deploy|web1|root|{release}|{release}");
                }

                Assert.Equal(expected, lines);
            }

            // A before_switch hook failing on web2 only: nothing switches anywhere, the unfinished release and the lock go, on_failure runs.
            await ClearHookLogsAsync(local, failures);
            await stack.Testbed.SshAsync("web2", "touch /tmp/fail-before-switch");
            var releasesBefore = await ReleasesAsync();
            await stack.CommitAsync("a release web2's hook refuses", ("hooked.txt", "2\n"));
            var refused = await stack.HoistAsync("deploy", "-m", "refused by a hook");
            output.WriteLine($"failing before_switch: exit {refused.ExitCode}\n{refused.Stdout}{refused.Stderr}");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"failed on {stack.Address("web2")} (exit 4)", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("before_switch: refusing on web2", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(after, await CurrentsAsync());
            Assert.Equal(releasesBefore, await ReleasesAsync());
            Assert.Equal(["before_deploy", "after_build", "before_switch"], (await File.ReadAllLinesAsync(local)).Select(l => l.Split('|')[0]));
            var onFailure = await File.ReadAllTextAsync(failures);
            output.WriteLine($"on_failure recorded: {onFailure.Trim()}");
            Assert.StartsWith("on_failure|hook hooks.before_switch[1] (remote)", onFailure, StringComparison.Ordinal);
            foreach (var web in stack.WebHosts)
            {
                Assert.NotEqual(0, (await stack.Testbed.SshAsync(web, $"test -e {SeedStack.DeployTo}/.hoist/lock")).ExitCode);
                Assert.DoesNotContain(await RemoteHookLinesAsync(web), l => l.StartsWith("after_switch", StringComparison.Ordinal));
                using var http = stack.Http(web);
                Assert.Equal(release, Release(await http.GetStringAsync("")));
            }

            // A rollback runs after_rollback (here and on both hosts), with the release it went back to live.
            await stack.Testbed.SshAsync("web2", "rm -f /tmp/fail-before-switch");
            await ClearHookLogsAsync(local, failures);
            var rollback = await stack.HoistAsync("rollback");
            output.WriteLine($"rollback: exit {rollback.ExitCode}\n{Lines(rollback, "hook ", "rolled back", "error")}");
            Assert.True(rollback.ExitCode == 0, rollback.ToString());
            Assert.Equal(before, await CurrentsAsync());
            var rolled = (await File.ReadAllLinesAsync(local)).Select(l => l.Split('|')).ToList();
            Assert.Equal(["after_rollback"], rolled.Select(r => r[0]));
            Assert.Equal(before["web1"], rolled[0][2]);
            foreach (var web in stack.WebHosts)
            {
                Assert.Equal([$"after_rollback|{web}|root|{before[web]}|{before[web]}"], await RemoteHookLinesAsync(web));
            }
        }
        finally
        {
            // The stack is left as the other tests expect it: the seed's config, no hook files, a good release live.
            await File.WriteAllTextAsync(config, original);
            foreach (var web in stack.WebHosts)
            {
                await stack.Testbed.SshAsync(web, "rm -f /tmp/fail-before-switch /tmp/hooks.log");
            }

            await Run.ShellAsync($"cd '{stack.Repo.Work}' && git rm -qf --ignore-unmatch hooked.txt");
            await stack.CommitAsync("the hooks file removed");
            var restored = await stack.HoistAsync("deploy", "-m", "hooks removed");
            output.WriteLine($"deploy after the hooks: exit {restored.ExitCode}");
        }
    }

    private async Task ClearHookLogsAsync(params string[] localFiles)
    {
        foreach (var file in localFiles)
        {
            File.Delete(file);
        }

        foreach (var web in stack.WebHosts)
        {
            await stack.Testbed.SshAsync(web, "rm -f /tmp/hooks.log");
        }
    }

    private async Task<List<string>> RemoteHookLinesAsync(string web) =>
        (await stack.Testbed.SshAsync(web, "cat /tmp/hooks.log 2>/dev/null")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
