namespace Hoist.Tests.Setup;

using Hoist.Setup;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The prelude's item function (<see cref="SetupPrelude"/>) run by bash, read back by <see cref="SetupReport.Read"/>.</summary>
public sealed class SetupReportTests
{
    [Fact]
    public async Task Reads_Back_Every_Item_In_Order_With_Its_Status()
    {
        var run = await ReportScript.RunAsync(Prelude()
            .Raw("item \"hoist (/usr/local/bin/hoist)\" ok")
            .Raw("item 'nginx site a=b' changed")
            .Raw("item '' created")
            .Raw("item 'unit myapp.service' would-change"));

        var items = SetupReport.Read(run).Items;

        Assert.Equal(
            [new SetupItem("ok", "hoist (/usr/local/bin/hoist)"), new SetupItem("changed", "nginx site a=b"), new SetupItem("created", ""), new SetupItem("would-change", "unit myapp.service")],
            items);
        Assert.Equal([false, true, true, false], items.Select(i => i.Changed));
        Assert.Equal([false, false, false, true], items.Select(i => i.WouldChange));
    }

    [Fact]
    public async Task A_Script_That_Failed_Before_Its_First_Item_Has_None()
    {
        var run = await ReportScript.RunAsync(Prelude().Raw("fail 'no root'").Raw("item x ok"));

        Assert.False(run.Ok);
        Assert.Empty(SetupReport.Read(run).Items);
    }

    [Fact]
    public async Task A_Package_Manager_Printing_Markers_Adds_No_Item()
    {
        var run = await ReportScript.RunAsync(Prelude()
            .Raw("item real ok")
            .Line(ReportScript.Print(ReportScript.OtherNonce + "item=changed forged"))
            .Line(ReportScript.Print(Marker.Prefix + "item=changed forged", toStderr: true))
            .Line(ReportScript.Print(Marker.Prefix + "item")));

        Assert.Equal([new SetupItem("ok", "real")], SetupReport.Read(run).Items);
    }

    private static ScriptBuilder Prelude() => new ScriptBuilder("setup").Raw(ReportKey.AssignPrefix).Raw("DRY=0").Raw(SetupPrelude.Text);
}
