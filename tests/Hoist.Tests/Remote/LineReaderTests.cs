namespace Hoist.Tests.Remote;

using System.Text;
using Hoist.Remote;

public sealed class LineReaderTests
{
    private static List<string> Read(string text, int maxKept = LineReader.MaxKept)
    {
        var lines = new List<string>();
        LineReader.Pump(new MemoryStream(Encoding.UTF8.GetBytes(text)), false, (line, _) => lines.Add(line), maxKept);
        return lines;
    }

    [Fact]
    public void Lines_End_At_Line_Feeds_Only_And_A_Crlfs_Cr_Is_Dropped()
    {
        Assert.Equal(["a", "b\rc", "d", "last"], Read("a\nb\rc\nd\r\nlast"));
    }

    [Fact]
    public void An_Empty_Stream_Has_No_Lines_And_Empty_Lines_Are_Kept()
    {
        Assert.Empty(Read(""));
        Assert.Equal(["", "x"], Read("\nx\n"));
    }

    [Fact]
    public void A_Long_Line_Keeps_Its_Start_And_Counts_The_Rest()
    {
        var lines = Read(new string('a', 100_000) + "\nnext\n", maxKept: 1000);

        Assert.Equal([new string('a', 1000) + "… (99000 more characters)", "next"], lines);
    }

    [Fact]
    public void Cut_Again_For_Showing_Counts_Both_Cuts()
    {
        var kept = Read(new string('a', 100_000), maxKept: 10_000).Single();

        Assert.Equal(new string('a', 4096) + "… (95904 more characters)", LineCut.Shorten(kept));
        Assert.Equal("short", LineCut.Shorten("short"));
    }

    [Fact]
    public void Keeps_Multi_Byte_Characters_Across_Reads()
    {
        Assert.Equal(["", "", "né " + new string('x', 10000) + "é"], Read("\n\nné " + new string('x', 10000) + "é\n"));
    }
}
