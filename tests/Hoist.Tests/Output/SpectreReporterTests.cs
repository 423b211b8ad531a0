namespace Hoist.Tests.Output;

using Hoist.Config;
using Hoist.Output;
using Hoist.Shell;
using Spectre.Console;

public sealed class SpectreReporterTests
{
    [Fact]
    public void Host_Text_Is_Redacted_And_Made_Visible_Inside_Hoists_Own_Styling()
    {
        _ = new Secret("sp3ctre-secret-22");
        var text = new StringWriter();
        // Colours on, so the test sees that Hoist's own escape sequences still reach the terminal and nothing else does.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Out = new AnsiConsoleOutput(text),
            Interactive = InteractionSupport.No,
        });
        var reporter = new SpectreReporter(console, verbose: true);
        var host = HostConfig.Local("me");

        reporter.Output(host, "key=sp3ctre-secret-22 \u001b]0;pwned\u0007 [bold]", isError: true);
        reporter.HostDone(host, false, "locked by \u001b[2J");
        reporter.Verbose(host, "export K=sp3ctre-secret-22");

        var shown = text.ToString();
        Assert.DoesNotContain("sp3ctre-secret-22", shown);
        Assert.Contains(@"key=[REDACTED] \x1b]0;pwned\x07 [bold]", shown);
        Assert.Contains(@"locked by \x1b[2J", shown);
        Assert.DoesNotContain("\u001b]0;", shown);
        Assert.DoesNotContain("\u001b[2J", shown);
        Assert.DoesNotContain('\u0007', shown);
        Assert.Contains('\u001b', shown);
    }
}
