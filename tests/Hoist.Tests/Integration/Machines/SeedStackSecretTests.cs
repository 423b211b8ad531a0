namespace Hoist.Tests.Integration.Machines;

using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>
/// setup.secrets on the machines: SECRET_KEY generated once, the same on web1 and web2, seen by the workers, kept
/// across setups without a reload, hand-written lines kept in place, and rotated on both. Values never leave the
/// hosts in this test's output: only their hashes are compared there.
/// </summary>
public sealed partial class SeedStackTests
{
    private const string Env = SeedStack.DeployTo + "/shared/.env";

    /// <summary>On a host: the SECRET_KEY line's sha256, its value's length, whether it is 64 hex digits, then each worker's environment's SECRET_KEY line's sha256 ('[h]': not this command's own shell, whose text names it).</summary>
    private const string SecretFacts =
        "grep '^SECRET_KEY=' " + Env + " | sha256sum | cut -c1-16; " +
        "v=$(sed -n 's/^SECRET_KEY=//p' " + Env + "); echo ${#v}; [[ $v =~ ^[0-9a-f]{64}$ ]] && echo hex || echo not-hex; " +
        "for p in $(pgrep -f '[h]oist_gunicorn.py'); do tr '\\0' '\\n' </proc/$p/environ | grep '^SECRET_KEY=' | sha256sum | cut -c1-16; done";

    [Fact]
    public async Task Setup_Secrets_Generates_One_Secret_Key_Identical_On_Web1_And_Web2_Seen_By_The_Workers_Kept_Without_A_Reload_And_Rotated_On_Both()
    {
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        foreach (var web in stack.WebHosts)
        {
            // A line written by hand before setup manages SECRET_KEY; kept, to be put back at the end.
            Assert.Equal(0, (await stack.Testbed.SshAsync(web, $"cp -p {Env} /root/env.before && printf '# by hand\\nADDED_BY_HAND=1\\n' >> {Env}")).ExitCode);
        }

        try
        {
            await File.WriteAllTextAsync(config, original.TrimEnd('\n') + "\n  secrets: [SECRET_KEY]\n");

            // Dry run first: says it would generate, shows no value, writes nothing.
            var dry = await stack.HoistAsync("setup", "--dry-run");
            output.WriteLine($"setup --dry-run: exit {dry.ExitCode}\n{Lines(dry, "SECRET_KEY", ".env")}");
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains("SECRET_KEY: would generate one", dry.Stdout, StringComparison.Ordinal);
            Assert.Equal("", (await stack.Testbed.SshAsync("web1", $"grep '^SECRET_KEY=' {Env} || true")).Stdout);

            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with setup.secrets: exit {setup.ExitCode}\n{Lines(setup, "SECRET_KEY", ".env", "reload", "FAILED")}");
            Assert.True(setup.ExitCode == 0, setup.ToString());
            Assert.Contains("SECRET_KEY: generate one", setup.Stdout, StringComparison.Ordinal);
            var first = await SecretFactsAsync("after the first setup");
            Assert.Equal(first["web1"].File, first["web2"].File);
            var value = (await stack.Testbed.SshAsync("web1", $"sed -n 's/^SECRET_KEY=//p' {Env}")).Stdout.Trim();
            Assert.False((setup.Stdout + setup.Stderr + dry.Stdout + dry.Stderr).Contains(value, StringComparison.Ordinal), "setup's output shows SECRET_KEY's value");

            // The hand-written lines stayed where they were, SECRET_KEY after them; a line added now stays last.
            foreach (var web in stack.WebHosts)
            {
                var tail = (await stack.Testbed.SshAsync(web, $"tail -n 3 {Env} | cut -d= -f1; printf 'LATER_BY_HAND=2\\n' >> {Env}")).Stdout;
                Assert.Equal("# by hand\nADDED_BY_HAND\nSECRET_KEY\n", tail);
            }

            var before = await EnvStateAsync();
            var again = await stack.HoistAsync("setup");
            var after = await EnvStateAsync();
            output.WriteLine($"setup again: exit {again.ExitCode}\n{Lines(again, "SECRET_KEY", ".env", "service", "] ok:")}");
            output.WriteLine($"web1, web2 (.env sha256, MainPID, worker pids) before: {string.Join(" | ", before)}; after: {string.Join(" | ", after)}");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("SECRET_KEY: kept", again.Stdout, StringComparison.Ordinal);
            foreach (var web in stack.WebHosts)
            {
                Assert.Matches($@"{Regex.Escape(stack.Address(web))}: ok +{Regex.Escape(Env)}\n", again.Stdout);
                Assert.Matches($@"{Regex.Escape(stack.Address(web))}: ok +service running\n", again.Stdout);
            }

            Assert.Equal(before, after);

            // Hosts that disagree: an error naming both and the fix, nothing changed.
            var web2Line = (await stack.Testbed.SshAsync("web2", $"grep -n '^SECRET_KEY=' {Env} | cut -d: -f1")).Stdout.Trim();
            Assert.Equal(0, (await stack.Testbed.SshAsync("web2", $"cp -p {Env} /root/env.agreed && sed -i 's/^SECRET_KEY=.*/SECRET_KEY=someone-else-wrote-this-0123/' {Env}")).ExitCode);
            var disagree = await stack.HoistAsync("setup");
            output.WriteLine($"setup with web2's SECRET_KEY edited by hand (line {web2Line}): exit {disagree.ExitCode}\n{disagree.Stderr.Trim()}");
            Assert.NotEqual(0, disagree.ExitCode);
            Assert.Contains($"SECRET_KEY differs between the web hosts' shared/.env: {stack.Address("web1")} (one value); {stack.Address("web2")} (another)", disagree.Stderr, StringComparison.Ordinal);
            Assert.Contains("hoist setup --rotate-secret SECRET_KEY", disagree.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("someone-else-wrote-this", disagree.Stdout + disagree.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, (await stack.Testbed.SshAsync("web2", $"cat /root/env.agreed > {Env} && rm /root/env.agreed")).ExitCode);

            var unknown = await stack.HoistAsync("setup", "--rotate-secret", "NOPE");
            output.WriteLine($"setup --rotate-secret NOPE: exit {unknown.ExitCode}: {unknown.Stderr.Trim()}");
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("--rotate-secret NOPE: not in setup.secrets, which lists SECRET_KEY", unknown.Stderr, StringComparison.Ordinal);

            var rotated = await stack.HoistAsync("setup", "--rotate-secret", "SECRET_KEY");
            output.WriteLine($"setup --rotate-secret SECRET_KEY: exit {rotated.ExitCode}\n{Lines(rotated, "SECRET_KEY", ".env", "reload", "FAILED")}");
            Assert.True(rotated.ExitCode == 0, rotated.ToString());
            var second = await SecretFactsAsync("after --rotate-secret");
            Assert.Equal(second["web1"].File, second["web2"].File);
            Assert.NotEqual(first["web1"].File, second["web1"].File);
            var newValue = (await stack.Testbed.SshAsync("web1", $"sed -n 's/^SECRET_KEY=//p' {Env}")).Stdout.Trim();
            Assert.False((rotated.Stdout + rotated.Stderr).Contains(newValue, StringComparison.Ordinal), "setup --rotate-secret shows the new value");
            foreach (var web in stack.WebHosts)
            {
                var audit = (await stack.Testbed.SshAsync(web, $"tail -n 1 {SeedStack.DeployTo}/.hoist/audit.log; tail -n 2 {Env} | cut -d= -f1")).Stdout;
                output.WriteLine($"{web}: {audit.Trim().Replace('\n', ' ')}");
                Assert.Contains(" setup result=ok rotated=SECRET_KEY changed=", audit, StringComparison.Ordinal);
                Assert.False(audit.Contains(newValue, StringComparison.Ordinal) || audit.Contains(value, StringComparison.Ordinal), "the audit line shows a value");
                Assert.EndsWith("SECRET_KEY\nLATER_BY_HAND\n", audit, StringComparison.Ordinal);
            }

            await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30));
            await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await File.WriteAllTextAsync(config, original);
            foreach (var web in stack.WebHosts)
            {
                // The other tests' setups find the .env they knew (its owner and mode kept by cat into it).
                await stack.Testbed.SshAsync(web, $"cat /root/env.before > {Env} && rm -f /root/env.before /root/env.agreed");
            }
        }
    }

    /// <summary>Each web host's SECRET_KEY facts (<see cref="SecretFacts"/>), checked: 64 hex digits, and every worker's environment holds the file's line (within 60 s of a reload).</summary>
    private async Task<Dictionary<string, (string File, int Workers)>> SecretFactsAsync(string when)
    {
        var facts = new Dictionary<string, (string, int)>();
        foreach (var web in stack.WebHosts)
        {
            // The reload's old workers may still be draining (bounded): waits for the two of the new generation.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var lines = (await stack.Testbed.SshAsync(web, SecretFacts)).Stdout.Trim().Split('\n');
            while ((lines.Length != 5 || lines[3..].Any(w => w != lines[0])) && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
                lines = (await stack.Testbed.SshAsync(web, SecretFacts)).Stdout.Trim().Split('\n');
            }

            output.WriteLine($"{web} {when}: SECRET_KEY line sha256 {lines[0]}…, {lines[1]} characters, {lines[2]}; workers' SECRET_KEY sha256: {string.Join(", ", lines[3..])}");
            Assert.Equal(["64", "hex"], lines[1..3]);
            Assert.Equal(2, lines.Length - 3);
            Assert.All(lines[3..], w => Assert.Equal(lines[0], w));
            facts[web] = (lines[0], lines.Length - 3);
        }

        return facts;
    }

    /// <summary>Each web host's .env hash, unit MainPID and worker pids: all unchanged when setup neither wrote .env nor reloaded.</summary>
    private async Task<string[]> EnvStateAsync() => await Task.WhenAll(stack.WebHosts.Select(async web =>
        (await stack.Testbed.SshAsync(web, $"sha256sum {Env} | cut -c1-16; systemctl show -p MainPID --value {SeedStack.Unit}; pgrep -f '[h]oist_gunicorn.py' | sort -n | tr '\\n' ' '")).Stdout.Trim().Replace('\n', ' ')));
}
