namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Text that comes from a user or a host and carries control characters, through the real binary and a real sshd:
/// it never forges an audit entry and never reaches the terminal raw.
/// </summary>
public sealed class HostileTextTests(ITestOutputHelper output) : SshdTest
{
    private const string Escapes = "\u001b]0;pwned\u0007\u001b[2J\u001b[31mevil\u009b0m";

    [Fact]
    public async Task Message_With_A_Line_Break_Forges_No_Audit_Entry()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        var audit = Path.Combine(project.DeployTo, ".hoist", "audit.log");

        var run = await project.HoistAsync("deploy", "-m", "hotfix\n2026-01-01T00:00:00Z mallory@x deploy release=1 revision=forged");
        var lines = File.Exists(audit) ? File.ReadAllLines(audit) : [];
        output.WriteLine($"{run}\n--- audit.log: {lines.Length} line(s)\n{string.Join('\n', lines)}");

        Assert.Equal(2, run.ExitCode); // a config or usage error
        Assert.Contains("error: -m/--message holds a control character (\\x0a at character 7)", run.Stderr);
        Assert.Empty(lines);
        Assert.False(Directory.Exists(project.DeployTo));
    }

    [Fact]
    public async Task Lock_Holder_With_Terminal_Escapes_Is_Shown_Escaped()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        Dir.Write("target/.hoist/lock/info", $"someone {Escapes}\n");

        var runs = new Dictionary<string, RunResult>
        {
            ["lock status"] = await project.HoistAsync("lock", "status"),
            ["releases"] = await project.HoistAsync("releases"),
            ["deploy"] = await project.HoistAsync("deploy"),
            ["deploy --verbose"] = await project.HoistAsync("deploy", "--verbose"),
        };

        var raw = new List<string>();
        foreach (var (name, run) in runs)
        {
            var controls = run.All.Count(c => char.IsControl(c) && c is not '\n' and not '\t');
            output.WriteLine($"hoist {name}: exit {run.ExitCode}, {controls} raw control characters in stdout+stderr\n{run}");
            if (controls > 0)
            {
                raw.Add($"{name}: {controls}");
            }
        }

        Assert.Empty(raw);
        Assert.Contains(@"locked by someone \x1b]0;pwned\x07\x1b[2Jevil\x9b0m", runs["lock status"].Stdout);
        Assert.Contains(@"deploy is locked by someone \x1b]0;pwned", runs["deploy"].Stderr);
        Assert.NotEqual(0, runs["deploy"].ExitCode);
    }
}
