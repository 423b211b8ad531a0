namespace Hoist.Tests.Shell;

using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>A key's lines run by bash and read back; what only looks like a marker is not taken.</summary>
public sealed class ReportKeyTests
{
    private static readonly ReportKey Key = new("sample");

    [Theory]
    [InlineData("plain")]
    [InlineData("with spaces  and a tab\tin it")]
    [InlineData("a=b=c")]
    [InlineData("")]
    [InlineData("'quotes' \"and\" $dollar `ticks`")]
    public async Task A_Value_Comes_Back_As_The_Script_Had_It(string value)
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("t").Line(ReportScript.Set("v", value)).Report(Key, "$v"));

        Assert.Equal(value, Key.Last(run));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Every_Form_Writes_The_Same_Marker()
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("t")
            .Line(ReportScript.Set("v", "x y"))
            .Line(Key.Echo("1 $v"))
            .Raw($"if true; then {Key.EchoText("2 $v")}; fi")
            .Raw(ReportKey.AssignPrefix)
            .Raw(Key.EchoViaPrefix("3 $v"))
            .Line(ShellCommand.Raw("printf '%s\\n'"), Key.LineStart + "4 x y"));

        Assert.Equal(["1 x y", "2 x y", "3 x y", "4 x y"], Key.All(run));
    }

    [Fact]
    public async Task A_Key_Never_Reported_Reads_As_Null()
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("t").Report(new ReportKey("other"), "1"));

        Assert.Null(Key.Last(run));
        Assert.Empty(Key.All(run));
    }

    [Fact]
    public async Task Forged_Markers_Are_Not_Taken()
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("t")
            .Report(Key, "real")
            // After the real one, since the last value counts: each is what a build or an app could print.
            .Line(ReportScript.Print(ReportScript.OtherNonce + "sample=../../etc"))
            .Line(ReportScript.Print(Marker.Placeholder + "sample=placeholder"))
            .Line(ReportScript.Print("::hoist:: sample=old-style"))
            .Line(ReportScript.Print(Marker.Prefix + "sample=on-stderr", toStderr: true))
            .Line(ReportScript.Print(Marker.Prefix + "sample"))
            .Line(ReportScript.Print(" " + Marker.Prefix + "sample=indented")));

        Assert.Equal(["real"], Key.All(run));
        Assert.Equal(6, run.Output.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("Upper")]
    public void Rejects_A_Name_That_Would_Not_Parse_As_Itself(string name) =>
        Assert.Throws<ArgumentException>(() => new ReportKey(name));
}
