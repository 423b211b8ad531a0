namespace Hoist.Tests.Integration;

using System.Text.RegularExpressions;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// What Hoist shows and keeps of a host's output, through the real binary against a real sshd: the host's .env
/// values are known before any line of it is shown (whichever stream it comes on), only values that are secrets are
/// hidden, and a host that prints without end costs bounded memory and a short error.
/// </summary>
public sealed class HostOutputTests(ITestOutputHelper output) : SshdTest
{
    private const string HostSecret = "hostonlysecretvalue";
    private const string SecretKey = "Zq81-secret-key-Xy";
    private const string QuotedToken = "quotedsecret123";
    private const string Exported = "exp0rted-pass-42";

    [Fact]
    public async Task Exec_Echoing_The_Env_File_On_Stderr_Never_Shows_A_Value_In_30_Runs()
    {
        Dir.Write("publish/a.txt", "a");
        Dir.Write("target/shared/.env", $"DB_PASS={HostSecret}\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        var command = $"head -1 {project.DeployTo}/shared/.env >&2";

        var leaks = 0;
        for (var i = 0; i < 30; i++)
        {
            var run = await project.HoistAsync("exec", command);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("DB_PASS=", run.All);
            if (run.All.Contains(HostSecret, StringComparison.Ordinal))
            {
                leaks++;
                output.WriteLine($"run {i + 1} leaked:\n{run}");
            }
        }

        output.WriteLine($"hoist exec '{command}' × 30: {leaks} printed the host's value");
        Assert.Equal(0, leaks);
    }

    [Fact]
    public async Task Host_Env_Words_Stay_Readable_While_Its_Secrets_Are_Hidden_However_Written_Or_Split()
    {
        Dir.Write("publish/a.txt", "a");
        Dir.Write("target/shared/.env", string.Join('\n',
            "APP_ENV=production",
            "MODE=release",
            $"SECRET_KEY={SecretKey}",
            "DATABASE_URL=postgres://u:pw@h/db",
            $"API_TOKEN=\"{QuotedToken}\" # rotated in May",
            $"export DB_PASSWORD='{Exported}'",
            ""));
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        var command = string.Join("; ",
            $"cat {project.DeployTo}/shared/.env",
            $". {project.DeployTo}/shared/.env",
            "echo \"the $APP_ENV build in $MODE mode\"",
            "echo \"q=$API_TOKEN e=$DB_PASSWORD\"",
            "printf 'cr=%s\\r%s\\n' \"${SECRET_KEY:0:6}\" \"${SECRET_KEY:6}\"",
            "printf 'esc=%s\\033[0m%s\\n' \"${SECRET_KEY:0:4}\" \"${SECRET_KEY:4}\"",
            "printf 'nul=%s\\000%s\\n' \"${SECRET_KEY:0:5}\" \"${SECRET_KEY:5}\"",
            "printf 'bs=%sX\\b%s\\n' \"${SECRET_KEY:0:3}\" \"${SECRET_KEY:3}\" >&2");

        var run = await project.HoistAsync("exec", command);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        var shown = new Dictionary<string, int>();
        foreach (var value in (string[])[SecretKey, QuotedToken, Exported, ":pw@", SecretKey[..6], SecretKey[6..]])
        {
            shown[value] = Regex.Count(run.All, Regex.Escape(value));
            output.WriteLine($"'{value}' appears {shown[value]} times");
        }

        Assert.All(shown, s => Assert.Equal(0, s.Value));
        Assert.Contains("APP_ENV=production", run.Stdout);
        Assert.Contains("MODE=release", run.Stdout);
        Assert.Contains("the production build in release mode", run.Stdout);
        Assert.Contains("SECRET_KEY=[REDACTED]", run.Stdout);
        Assert.Contains("DATABASE_URL=postgres://u:[REDACTED]@h/db", run.Stdout);
        Assert.Contains("q=[REDACTED] e=[REDACTED]", run.Stdout);
        foreach (var split in (string[])["cr=[REDACTED]", "esc=[REDACTED]", "nul=[REDACTED]", "bs=[REDACTED]"])
        {
            Assert.Contains(split, run.All);
        }
    }

    [Fact]
    public async Task Lock_Holder_Text_Holding_A_Host_Env_Secret_Is_Hidden_In_Lock_Status_And_Deploy()
    {
        Dir.Write("publish/a.txt", "a");
        Dir.Write("target/shared/.env", $"DB_PASS={HostSecret}\n");
        Dir.Write("target/.hoist/lock/info", $"ops@box (pid 1) since 2026-01-01: deploy -m 'rotate {HostSecret}'\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "shared: [.env]");

        var runs = new Dictionary<string, RunResult>
        {
            ["lock status"] = await project.HoistAsync("lock", "status"),
            ["deploy"] = await project.HoistAsync("deploy"),
        };

        var leaks = 0;
        foreach (var (name, run) in runs)
        {
            var count = Regex.Count(run.All, HostSecret);
            leaks += count;
            output.WriteLine($"hoist {name}: exit {run.ExitCode}, the host's value appears {count} times\n{run}");
        }

        Assert.Equal(0, leaks);
        Assert.Equal(75, runs["deploy"].ExitCode);
        Assert.All(runs.Values, run => Assert.Contains("rotate [REDACTED]", run.All));
    }

    [Fact]
    public async Task Build_Printing_60_MB_Keeps_Memory_Bounded_And_The_Error_Short()
    {
        // 40 MB in lines of 1000 characters, then one 20 MB line, then a failure whose message quotes the last lines.
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            "build: ['head -c 40000000 /dev/zero | tr \"\\0\" y | fold -w 1000; head -c 20000000 /dev/zero | tr \"\\0\" a; echo; echo last words; exit 4']");

        var (run, rssKiB) = await HoistCli.RunMeasuredAsync(Dir.Path, TimeSpan.FromMinutes(4), "deploy");
        var error = run.Stderr.Split('\n').SkipWhile(l => !l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var errorChars = string.Join('\n', error).Length;
        output.WriteLine($"peak RSS {rssKiB / 1024} MiB; stdout {run.Stdout.Length} chars, stderr {run.Stderr.Length} chars; error message {errorChars} chars");
        output.WriteLine(string.Join('\n', error).Length > 8192 ? string.Join('\n', error)[..8192] : string.Join('\n', error));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("step 'build: ", run.Stderr);
        Assert.Contains("failed (exit 4)", run.Stderr);
        Assert.Contains("last words", run.Stderr);
        Assert.Contains("more characters)", run.All);
        Assert.InRange(errorChars, 1, 8 * 1024);
        Assert.InRange(rssKiB, 1, 400 * 1024);
    }
}
