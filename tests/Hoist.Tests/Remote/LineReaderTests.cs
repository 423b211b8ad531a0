namespace Hoist.Tests.Remote;

using System.Text;
using Hoist.Remote;

public sealed class LineReaderTests
{
    [Fact]
    public async Task Splits_Only_On_Line_Feed_And_Keeps_A_Carriage_Return_Inside_A_Line()
    {
        var lines = await PumpAsync("bob\rforged line\r\nnext\nlast without end");

        // A CR inside a line is data (shown as \x0d later), never a line break that lets a host forge an output line;
        // the CR of a CRLF line end is dropped.
        Assert.Equal(["bob\rforged line", "next", "last without end"], lines);
    }

    [Fact]
    public async Task Keeps_Empty_Lines_And_Multi_Byte_Characters_Across_Reads()
    {
        var lines = await PumpAsync("\n\nné " + new string('x', 10000) + "é\n");

        Assert.Equal(["", "", "né " + new string('x', 10000) + "é"], lines);
    }

    private static async Task<List<string>> PumpAsync(string text)
    {
        var lines = new List<string>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await LineReader.PumpAsync(stream, false, (line, _) => lines.Add(line));
        return lines;
    }
}
