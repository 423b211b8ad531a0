namespace Hoist.Tests.Setup;

using Hoist.Serve.Config;
using Hoist.Setup;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>
/// The .env editing of <see cref="EnvLines"/> run by a real bash on hostile files: every line setup does not manage
/// kept byte for byte in place and order, a managed one set in place, a new one appended, and values read as hoist
/// serve's env-file reader reads them.
/// </summary>
public sealed class EnvLinesTests : IDisposable
{
    /// <summary>Comments, blank lines, export, spaces around '=', quotes, duplicates, CRLF, names that contain the managed ones, a user's empty SECRET_KEY, no final line break.</summary>
    private const string Hostile =
        "# written by hand\n" +
        "\n" +
        "export FLASK_ENV=production\n" +
        "DATABASE_URL=postgresql://old:pw@db/app\n" +
        "MY_SECRET_KEY=not-ours\n" +
        "SECRET_KEY_BASE=not-ours-either\n" +
        "GREETING=a=b c  d\n" +
        "  # indented comment\n" +
        "SECRET_KEY=\n" +
        "WINDOWS=1\r\n" +
        "DATABASE_URL = \"postgresql://dup:pw@db/app\"\n" +
        "\n" +
        "\n" +
        "LAST=no line break";

    private readonly TempDir dir = new("hoist-env-lines");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Sets_Managed_Lines_In_Place_And_Keeps_Every_Other_Byte()
    {
        var file = dir.Write(".env", Hostile);

        var text = await EditAsync(file, ("DATABASE_URL", "postgresql://app:new@db/app"), ("SECRET_KEY", "0123456789abcdef"), ("NEW_ONE", "x = y"));

        Assert.Equal(
            "# written by hand\n" +
            "\n" +
            "export FLASK_ENV=production\n" +
            "DATABASE_URL=postgresql://app:new@db/app\n" +
            "MY_SECRET_KEY=not-ours\n" +
            "SECRET_KEY_BASE=not-ours-either\n" +
            "GREETING=a=b c  d\n" +
            "  # indented comment\n" +
            "SECRET_KEY=0123456789abcdef\n" +
            "WINDOWS=1\r\n" +
            "DATABASE_URL =postgresql://app:new@db/app\n" +
            "\n" +
            "\n" +
            "LAST=no line break\n" +
            "NEW_ONE=x = y\n",
            text);
    }

    [Fact]
    public async Task A_Second_Edit_With_The_Same_Values_Writes_The_Same_Bytes()
    {
        var file = dir.Write(".env", Hostile);
        (string, string)[] values = [("DATABASE_URL", "postgresql://app:new@db/app"), ("SECRET_KEY", "0123456789abcdef"), ("NEW_ONE", "x = y")];
        var first = await EditAsync(file, values);
        File.WriteAllText(file, first);

        Assert.Equal(first, await EditAsync(file, values));
    }

    [Fact]
    public async Task A_Line_Added_After_A_Managed_One_Stays_After_It()
    {
        // with_env_line dropped DATABASE_URL and appended it: this file changed at every setup, and the app reloaded.
        var file = dir.Write(".env", "DATABASE_URL=postgresql://app:pw@db/app\nADDED_BY_HAND=1\n");

        Assert.Equal("DATABASE_URL=postgresql://app:pw@db/app\nADDED_BY_HAND=1\n", await EditAsync(file, ("DATABASE_URL", "postgresql://app:pw@db/app")));
    }

    [Fact]
    public async Task A_Line_Already_Holding_The_Value_In_Another_Form_Is_Kept_As_Written()
    {
        var text = "export SECRET_KEY = \"0123456789abcdef\"\r\nB='x'\n";
        var file = dir.Write(".env", text);

        Assert.Equal(text, await EditAsync(file, ("SECRET_KEY", "0123456789abcdef"), ("B", "x")));
    }

    [Theory]
    [InlineData(null, "K=v\n")]
    [InlineData("", "K=v\n")]
    [InlineData("A=1", "A=1\nK=v\n")]
    [InlineData("A=1\r\n", "A=1\r\nK=v\r\n")]
    [InlineData("A=1\n\n\n", "A=1\n\n\nK=v\n")]
    public async Task A_New_Name_Goes_At_The_End_Ending_As_The_File_Does(string? before, string after)
    {
        var file = before is null ? dir.Combine(".env") : dir.Write(".env", before);

        Assert.Equal(after, await EditAsync(file, ("K", "v")));
    }

    [Fact]
    public async Task Reads_Each_Value_As_Hoist_Serves_Env_File_Reader_Does()
    {
        var file = dir.Write(".env", Hostile.Replace("SECRET_KEY=\n", "SECRET_KEY=  'quoted value'  \n", StringComparison.Ordinal));
        var parsed = EnvFile.Parse(File.ReadAllText(file), file);
        string[] names = ["FLASK_ENV", "DATABASE_URL", "GREETING", "SECRET_KEY", "WINDOWS", "LAST", "MY_SECRET_KEY"];

        var script = new ScriptBuilder("env-get").Raw(EnvLines.Functions).Line(ReportScript.Set("f", file)).Raw("env_read \"$f\"");
        foreach (var name in names)
        {
            script.Line(ShellCommand.Raw("env_get"), name, ShellCommand.Raw("&& printf '%s=[%s]\\n'"), name, ShellCommand.Raw("\"$ENV_VALUE\""));
        }

        var result = await Run.ProcessAsync("bash", ["-c", script.Build().Render(reveal: true)]);

        // The first line of a name wins, as env_set keeps every line of a name the same.
        Assert.Equal(names.Select(n => $"{n}=[{parsed.First(p => p.Key == n).Value}]"), result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Equal("SECRET_KEY=[quoted value]", result.Stdout.Split('\n')[3]);
    }

    [Fact]
    public async Task Refuses_A_Link_Without_Reading_It()
    {
        var target = dir.Write("target", "SECRET_KEY=from-elsewhere\n");
        File.CreateSymbolicLink(dir.Combine(".env"), target);

        var result = await Run.ProcessAsync("bash", ["-c", new ScriptBuilder("env-link").Raw(EnvLines.Functions).Line(ReportScript.Set("f", dir.Combine(".env")))
            .Raw("env_read \"$f\"; env_get SECRET_KEY && echo \"read $ENV_VALUE\"").Build().Render(reveal: true)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is a symbolic link", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("from-elsewhere", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Line_That_Is_Not_UTF8_Is_Still_Found_Under_A_UTF8_Locale()
    {
        // Under C.UTF-8 (a host's usual LANG) bash's regex did not match the invalid bytes: a second SECRET_KEY was
        // appended and setup reported the host as keeping none.
        var file = dir.Combine(".env");
        File.WriteAllBytes(file, [.. "SECRET_KEY="u8, 0xff, 0xfe, .. "0123456789abcdef\n"u8]);

        Assert.Equal("SECRET_KEY=new-value-1234\n", await EditAsync(file, ("SECRET_KEY", "new-value-1234")));
    }

    [Fact]
    public async Task Refuses_A_File_With_A_NUL_Byte_Rather_Than_Drop_It()
    {
        var file = dir.Combine(".env");
        File.WriteAllBytes(file, [.. "A=1\nB=x"u8, 0, .. "y\n"u8]);

        var result = await Run.ProcessAsync("bash", ["-c", new ScriptBuilder("env-nul").Raw(EnvLines.Functions).Line(ReportScript.Set("f", file))
            .Raw("env_read \"$f\"; echo read").Build().Render(reveal: true)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds a NUL byte", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("read", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edits_A_File_Of_Twenty_Thousand_Lines_In_One_Pass()
    {
        // Each line was cut off the front of the text with ${rest#*$'\n'}: quadratic, minutes for a file this size.
        var lines = string.Concat(Enumerable.Range(0, 20000).Select(i => $"K{i}=v\n"));
        var file = dir.Write(".env", lines + "SECRET_KEY=old\n");
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(lines + "SECRET_KEY=0123456789abcdef\n", await EditAsync(file, ("SECRET_KEY", "0123456789abcdef")));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    /// <summary>env_read, env_set for each value (values as hidden shell words, as setup sends them), the text printed exactly.</summary>
    private async Task<string> EditAsync(string file, params (string Name, string Value)[] values)
    {
        var script = new ScriptBuilder("env-edit").Raw("export LC_ALL=C.UTF-8").Raw(EnvLines.Functions).Line(ReportScript.Set("f", file)).Raw("env_read \"$f\"");
        foreach (var (name, value) in values)
        {
            script.Line(new ShellCommand(new AssignmentPart("value", ShellValue.Hidden(value)))).Line(ShellCommand.Raw("env_set"), name, ShellCommand.Raw("\"$value\""));
        }

        var output = dir.Combine("out");
        script.Line(ShellCommand.Raw("printf '%s' \"$ENV\" >"), output);
        var result = await Run.ProcessAsync("bash", ["-c", script.Build().Render(reveal: true)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return File.ReadAllText(output);
    }
}
