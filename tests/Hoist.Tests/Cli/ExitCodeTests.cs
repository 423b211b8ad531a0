namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The exit codes scripts rely on, through the real binary: 0 done, 1 failed, 2 usage or config error (fix the
/// command or hoist.yml), 75 the deploy lock is held (retry later). The literal numbers are the contract.
/// </summary>
public sealed class ExitCodeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("deploy --no-such-option")]
    [InlineData("no-such-verb")]
    [InlineData("")]
    public async Task Usage_Error_Exits_2_With_An_Error_Line(string line)
    {
        var result = await HoistCli.RunAsync(dir.Path, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        output.WriteLine($"hoist {line}: {result}");
        Assert.Equal(2, result.ExitCode);
        Assert.Matches("(?m)^error: ", result.Stderr);
    }

    [Theory]
    [InlineData("deploi", "'deploi': did you mean `deploy`?")]
    [InlineData("deploy --paralel 3", "'--paralel': did you mean `--parallel`?")]
    public async Task A_Mistyped_Verb_Or_Option_Exits_2_Saying_What_Was_Meant(string line, string suggestion)
    {
        var result = await HoistCli.RunAsync(dir.Path, line.Split(' '));

        output.WriteLine($"hoist {line}: {result}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + suggestion, result.Stderr);
    }

    [Theory]
    [InlineData("deploy", "abc")]
    [InlineData("deploy", "99999999999")]
    [InlineData("releases", "x")]
    [InlineData("check", "9999999999")]
    [InlineData("deploy", "0")]
    [InlineData("deploy", "-1")]
    public async Task A_Bad_Parallel_Value_Exits_2_With_An_Error_Line_And_No_Stack_Trace(string verb, string value)
    {
        WriteLocalProject();

        var result = await HoistCli.RunAsync(dir.Path, verb, "--parallel", value);

        output.WriteLine($"hoist {verb} --parallel {value}: {result}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: --parallel must be a whole number from 1 to {int.MaxValue}, not '{value}'", result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task A_Parallel_Value_Above_The_Host_Count_Is_Fine()
    {
        WriteLocalProject();

        var result = await HoistCli.RunAsync(dir.Path, "exec", "--parallel", "1000", "--", "true");

        output.WriteLine($"hoist exec --parallel 1000: {result}");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Config_Error_Exits_2()
    {
        dir.Write("hoist.yml", "app: a\nupload: ./publish\nhosts:\n  web: [local]\nkeep_relases: 3\n");

        var result = await HoistCli.RunAsync(dir.Path, "deploy");

        output.WriteLine(result.ToString());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(":5:1: keep_relases: unknown key", result.Stderr);
    }

    [Fact]
    public async Task Unknown_Role_Is_A_Usage_Error_Exits_2()
    {
        WriteLocalProject();

        var result = await HoistCli.RunAsync(dir.Path, "exec", "--role", "db", "--", "true");

        output.WriteLine(result.ToString());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no role 'db' in", result.Stderr);
    }

    [Fact]
    public async Task Failed_Command_Exits_1()
    {
        WriteLocalProject();

        var result = await HoistCli.RunAsync(dir.Path, "exec", "--", "exit 7");

        output.WriteLine(result.ToString());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the command failed on 1 of 1 host(s)", result.Stderr);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("rollback")]
    public async Task Held_Lock_Exits_75_Naming_The_Holder(string verb)
    {
        WriteLocalProject();
        var lockDir = dir.Combine("target", ".hoist", "lock");
        Directory.CreateDirectory(lockDir);
        File.WriteAllText(Path.Combine(lockDir, "info"), "someone@elsewhere (pid 1) since 2026-01-01T00:00:00Z: deploy: the other one\n");

        var result = await HoistCli.RunAsync(dir.Path, verb);

        output.WriteLine($"hoist {verb}: {result}");
        Assert.Equal(75, result.ExitCode);
        Assert.Contains("locked by someone@elsewhere (pid 1) since 2026-01-01T00:00:00Z: deploy: the other one", result.Stderr);
        Assert.True(Directory.Exists(lockDir), "the other holder's lock was removed");
    }

    [Fact]
    public async Task Help_Lists_The_Exit_Codes()
    {
        var result = await HoistCli.RunAsync(dir.Path, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes: 0 done; 1 failed; 2 usage or config error", result.Stdout);
        Assert.Contains("75 the deploy lock is held by another run", result.Stdout);
    }

    private void WriteLocalProject()
    {
        dir.Write("publish/a", "a");
        dir.Write("hoist.yml", $"app: a\nupload: ./publish\ndeploy_to: {dir.Combine("target")}\nhosts:\n  web: [local]\n");
    }
}
