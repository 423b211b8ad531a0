namespace Hoist.Tests.Integration;

using System.Text.RegularExpressions;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A failing build that echoes secrets, through the real binary against a real sshd: no secret value appears in any
/// of Hoist's output (stdout and stderr, with and without --verbose, the error message, --dry-run), whether the
/// value is the config's or only the host's (its shared/.env).
/// </summary>
public sealed class SecretOutputTests(ITestOutputHelper output) : SshdTest
{
    private const string Value = "Kq7/s3cr3t-Hk29zz";
    private const string Encoded = "Kq7%2Fs3cr3t-Hk29zz";
    private const string HostToken = "h0st-T0KEN-77aa";
    private const string DbPassword = "Pg-pa55word-x1";

    // Each way a build prints a value: plain, inside a longer word, split over two writes (two output chunks, one
    // on each side of a pause), on stderr, and on a last line with no newline. The exit is what makes it an error.
    private const string Build = """
        echo "building with key=$SECRET_KEY"
        echo "word${SECRET_KEY}word"
        printf '%s' "split ${SECRET_KEY:0:6}"; sleep 0.3; printf '%s\n' "${SECRET_KEY:6} end"
        printf '%s' "err ${SECRET_KEY:0:5}" >&2; sleep 0.3; printf '%s\n' "${SECRET_KEY:5}" >&2
        python3 -c 'import os, urllib.parse; print("encoded", urllib.parse.quote(os.environ["SECRET_KEY"], safe=""))'
        printf 'ends with %s' "$SECRET_KEY"
        exit 3
        """;

    private const string HostBuild = """
        . ./.env
        echo "token=$HOST_TOKEN"
        echo "url=$DATABASE_URL" >&2
        echo "password=$(printf %s "$DATABASE_URL" | sed 's/.*:\(.*\)@.*/\1/')"
        exit 3
        """;

    [Fact]
    public async Task Failing_Build_Echoing_A_Config_Secret_Shows_It_Nowhere()
    {
        Dir.Write("publish/build.sh", Build);
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"env: {{ SECRET_KEY: \"{Value}\" }}\nsecrets: [SECRET_KEY]\nbuild: [\"bash build.sh\"]");

        var runs = new Dictionary<string, RunResult>
        {
            ["deploy"] = await project.HoistAsync("deploy"),
            ["deploy --verbose"] = await project.HoistAsync("deploy", "--verbose"),
            ["deploy --dry-run --verbose"] = await project.HoistAsync("deploy", "--dry-run", "--verbose"),
        };

        AssertShownNowhere(runs, [Value, Encoded]);
        foreach (var (name, run) in runs.Where(r => !r.Key.Contains("dry-run", StringComparison.Ordinal)))
        {
            Assert.True(run.ExitCode == 1, $"{name}: {run}");
            Assert.Contains("step 'build: bash build.sh' failed (exit 3)", run.Stderr);
            Assert.Contains("building with key=[REDACTED]", run.All);
            Assert.Contains("word[REDACTED]word", run.All);
            Assert.Contains("split [REDACTED] end", run.All);
            Assert.Contains("err [REDACTED]", run.All);
            Assert.Contains("encoded [REDACTED]", run.All);
            Assert.Contains("ends with [REDACTED]", run.Stderr);
        }
    }

    [Fact]
    public async Task Failing_Local_Build_Echoing_A_Secret_Shows_It_Nowhere()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"env: {{ SECRET_KEY: \"{Value}\" }}\nsecrets: [SECRET_KEY]\nlocal_build: [\"echo local key=$SECRET_KEY; echo err=$SECRET_KEY >&2; exit 4\"]");

        var runs = new Dictionary<string, RunResult>
        {
            ["deploy"] = await project.HoistAsync("deploy"),
            ["deploy --verbose"] = await project.HoistAsync("deploy", "--verbose"),
        };

        AssertShownNowhere(runs, [Value]);
        foreach (var (name, run) in runs)
        {
            Assert.True(run.ExitCode == 1, $"{name}: {run}");
            Assert.Contains("local key=[REDACTED]", run.All);
            Assert.Contains("err=[REDACTED]", run.All);
        }
    }

    [Fact]
    public async Task Secret_Shorter_Than_8_Characters_Is_A_Config_Error_Naming_Key_And_Line()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "env: { SECRET_KEY: \"x\" }\nsecrets: [SECRET_KEY, TOKEN]");

        var run = await project.HoistAsync(new Dictionary<string, string> { ["TOKEN"] = "abc1234" }, "deploy");
        output.WriteLine(run.ToString());

        Assert.Equal(2, run.ExitCode); // a config or usage error
        Assert.Matches(@"error: .*hoist\.yml:7:\d+: env\.SECRET_KEY: secret SECRET_KEY is 1 character long", run.Stderr);
        Assert.Matches(@"error: .*hoist\.yml:8:\d+: secrets\[1\]: secret TOKEN is 7 characters long", run.Stderr);
        Assert.Contains("make the TOKEN this machine exports longer", run.Stderr);
        Assert.DoesNotContain("abc1234", run.All);
        Assert.False(Directory.Exists(project.DeployTo));
    }

    [Fact]
    public async Task Failing_Build_Echoing_The_Hosts_Env_File_Shows_No_Value()
    {
        Dir.Write("publish/build.sh", HostBuild);
        Dir.Write("target/shared/.env", $"HOST_TOKEN={HostToken}\nDATABASE_URL=postgresql://app:{DbPassword}@db.internal:5432/mydb\nMODE=on\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "shared: [.env]\nbuild: [\"bash build.sh\"]");

        var runs = new Dictionary<string, RunResult>
        {
            ["deploy"] = await project.HoistAsync("deploy"),
            ["deploy --verbose"] = await project.HoistAsync("deploy", "--verbose"),
        };

        AssertShownNowhere(runs, [HostToken, DbPassword]);
        foreach (var (name, run) in runs)
        {
            Assert.True(run.ExitCode == 1, $"{name}: {run}");
            Assert.Contains("token=[REDACTED]", run.All);
            Assert.Contains("password=[REDACTED]", run.All);
        }
    }

    [Fact]
    public async Task Rollback_Whose_Reload_Echoes_The_Hosts_Env_File_Shows_No_Value()
    {
        Dir.Write("publish/a.txt", "a");
        Dir.Write("target/shared/.env", $"HOST_TOKEN={HostToken}\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "reload: '. shared/.env; echo \"reloading with token=$HOST_TOKEN\"'");
        foreach (var deploy in (int[])[1, 2])
        {
            var run = await project.HoistAsync("deploy");
            Assert.True(run.ExitCode == 0, $"deploy {deploy}: {run}");
            Assert.Contains("reloading with token=[REDACTED]", run.Stdout);
        }

        var runs = new Dictionary<string, RunResult> { ["rollback"] = await project.HoistAsync("rollback") };

        AssertShownNowhere(runs, [HostToken]);
        Assert.True(runs["rollback"].ExitCode == 0, runs["rollback"].ToString());
        Assert.Contains("reloading with token=[REDACTED]", runs["rollback"].Stdout);
    }

    private void AssertShownNowhere(Dictionary<string, RunResult> runs, string[] values)
    {
        var hits = new List<string>();
        foreach (var (name, run) in runs)
        {
            foreach (var value in values)
            {
                var count = Regex.Count(run.All, Regex.Escape(value));
                output.WriteLine($"hoist {name}: exit {run.ExitCode}, '{value}' appears {count} times in stdout+stderr ({run.All.Length} chars)");
                if (count > 0)
                {
                    hits.Add($"{name}: {value} × {count}");
                }
            }

            output.WriteLine($"--- hoist {name}\n{run}");
        }

        Assert.Empty(hits);
    }
}
