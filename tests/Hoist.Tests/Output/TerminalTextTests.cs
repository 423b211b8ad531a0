namespace Hoist.Tests.Output;

using Hoist.Output;
using Hoist.Shell;

public sealed class TerminalTextTests
{
    [Fact]
    public void Plain_Text_And_Line_Breaks_Are_Left_Alone()
    {
        const string text = "step 'build: make' failed (exit 3):\n    make: *** [all] Error 1\tpéché ✓";

        Assert.Same(text, TerminalText.Visible(text));
    }

    [Fact]
    public void Control_Characters_Are_Made_Visible()
    {
        Assert.Equal(@"locked by \x1b]0;pwned\x07\x1b[2J\x1b[31mx\x9b0m\x7f\x0d!", TerminalText.Visible("locked by \u001b]0;pwned\u0007\u001b[2J\u001b[31mx\u009b0m\u007f\r!"));
    }

    [Fact]
    public void Bidirectional_Overrides_Are_Made_Visible()
    {
        Assert.Equal(@"file \u202etxt.exe \u2066x\u2069", TerminalText.Visible("file \u202etxt.exe \u2066x\u2069"));
    }

    [Fact]
    public void One_Line_Escapes_Line_Breaks_And_Tabs_Too()
    {
        Assert.Equal(@"deploy message=a\x0aforged\x09entry", TerminalText.Visible("deploy message=a\nforged\tentry", oneLine: true));
    }

    [Fact]
    public void Clean_Redacts_Known_Secrets_Before_Escaping()
    {
        _ = new Secret("cl3an-s3cret\u001b-99");

        Assert.Equal(@"key=[REDACTED] \x1b[2J", TerminalText.Clean("key=cl3an-s3cret\u001b-99 \u001b[2J"));
    }

    [Fact]
    public void Clean_Drops_Colour_Sequences_And_Shows_Every_Other_Escape()
    {
        Assert.Equal(@"ok 3 passed \x1b[2J\x1b]0;t\x07 \x1b[31;1", TerminalText.Clean("\u001b[32mok\u001b[0m 3 \u001b[1;38;5;208mpassed\u001b[m \u001b[2J\u001b]0;t\u0007 \u001b[31;1"));
    }

    [Fact]
    public void A_Secret_Split_By_Colour_Sequences_Is_Still_Redacted()
    {
        _ = new Secret("c0lour-spl1t-secret");

        Assert.Equal("SECRET_KEY=[REDACTED]", TerminalText.Clean("SECRET_KEY=c0lour-\u001b[01;31m\u001b[Ksp\u001b[m\u001b[Kl1t-secret"));
    }

    [Theory]
    [InlineData("cr=Spl1t-s3cret\rValue-77", "cr=[REDACTED]")]
    [InlineData("nul=Spl1t-s3cret\0Value-77", "nul=[REDACTED]")]
    [InlineData("bs=Spl1t-s3cretX\bValue-77", "bs=[REDACTED]")]
    [InlineData("esc=Spl1t-s3cret\u001b(BValue-77 \u001b[2J", "esc=[REDACTED] ")]
    public void A_Secret_Split_By_Control_Characters_Is_Hidden_And_The_Line_Shown_Without_Them(string line, string shown)
    {
        _ = new Secret("Spl1t-s3cretValue-77");

        Assert.Equal(shown, TerminalText.Clean(line));
    }

    [Fact]
    public void A_Secret_Put_Together_By_Carriage_Returns_Is_Hidden()
    {
        _ = new Secret("0verla1d-s3cret-Value");

        // A terminal shows "0verla1d-s3cret-Value": the second piece overwrites the first's padding.
        Assert.Equal("[REDACTED]", TerminalText.Clean("xxxxxxxxxx3cret-Value\r0verla1d-s"));
    }

    [Theory]
    [InlineData("10%\r50%\r100%", "100%", @"10%\x0d50%\x0d100%")]
    [InlineData("downloading...\rdone", "doneloading...", @"downloading...\x0ddone")]
    [InlineData("a\rb\nc\rd", "b\nd", "a\\x0db\nc\\x0dd")]
    public void Carriage_Returns_Are_Searched_As_A_Terminal_Shows_Them_But_Shown_As_Written(string text, string overlaid, string shown)
    {
        Assert.Equal(overlaid, TerminalText.Overlaid(text));
        Assert.Equal(shown, TerminalText.Clean(text));
    }

    [Fact]
    public void A_Carriage_Return_Cannot_Write_A_Line_Over_Hoists_Own_Words()
    {
        Assert.Equal(@"locked by bob x\x0d[127.0.0.1] forged: all hosts ok", TerminalText.Clean("locked by bob x\r[127.0.0.1] forged: all hosts ok"));
    }
}
