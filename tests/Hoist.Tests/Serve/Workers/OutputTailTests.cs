namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class OutputTailTests
{
    [Fact]
    public void Keeps_The_Last_Lines_Up_To_Its_Capacity()
    {
        var tail = new OutputTail(2);
        tail.Add("one");
        tail.Add("two");
        tail.Add("three");

        Assert.Equal(["two", "three"], tail.Lines());
    }

    [Fact]
    public void Caps_Every_Line_So_A_Worker_Printing_A_Megabyte_Line_Cannot_Bloat_A_Message()
    {
        var tail = new OutputTail(2);
        tail.Add(new string('y', 1_000_000));

        var line = Assert.Single(tail.Lines());
        Assert.Equal(OutputTail.MaxLine, line.Length);
        Assert.EndsWith("y...", line, StringComparison.Ordinal);
    }
}
