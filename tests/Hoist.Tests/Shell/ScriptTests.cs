namespace Hoist.Tests.Shell;

using Hoist.Shell;

public sealed class ScriptTests
{
    private static readonly ShellValue Hidden = ShellValue.Hidden("hunter2");

    [Fact]
    public void Render_Wraps_The_Body_So_Bash_Parses_It_All_Before_Running()
    {
        var script = new ScriptBuilder("t").Line("echo", "hi there").Build();

        Assert.Equal("hoist_main() {\nset -euo pipefail\necho 'hi there'\n}\nhoist_main; exit $?\n", script.Render(reveal: true));
    }

    [Fact]
    public void Secrets_Are_Redacted_When_Shown_And_Revealed_Only_For_The_Host()
    {
        var script = new ScriptBuilder("t").Line(ShellCommand.Raw("export"), new AssignmentPart("TOKEN", Hidden)).Build();

        Assert.Equal("export TOKEN='[REDACTED]'", script.Show());
        Assert.DoesNotContain("hunter2", script.Show());
        Assert.Contains("export TOKEN=hunter2\n", script.Render(reveal: true));
        Assert.Equal("[REDACTED]", Hidden.ToString());
        Assert.Equal("[REDACTED]", new Secret("x").ToString());
    }

    [Fact]
    public void Output_Echoing_A_Secret_Of_The_Script_Is_Redacted()
    {
        _ = new ScriptBuilder("t")
            .Line(ShellCommand.Raw("export"), new AssignmentPart("TOKEN", Hidden))
            .Line("echo", ShellValue.Hidden("postgresql://app:s3cretpw@db/x"))
            .Build();

        Assert.Equal("worker 1: connecting to [REDACTED] with [REDACTED]", KnownSecrets.Redact("worker 1: connecting to postgresql://app:s3cretpw@db/x with hunter2"));
        Assert.Equal("nothing secret", KnownSecrets.Redact("nothing secret"));
    }

    [Fact]
    public void Markers_Round_Trip()
    {
        Assert.True(Marker.TryParse(Marker.Prefix + "release=2026 abc ok", out var key, out var value));
        Assert.Equal(("release", "2026 abc ok"), (key, value));
        Assert.False(Marker.TryParse("::hoist:: release=1", out _, out _));
        Assert.False(Marker.TryParse(Marker.Placeholder + "release=1", out _, out _));
        Assert.False(Marker.TryParse(Marker.Prefix + "=1", out _, out _));
        Assert.Matches("^::hoist-[0-9a-f]{12}:: $", Marker.Prefix);
    }
}
