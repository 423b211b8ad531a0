namespace Hoist.Tests.Output;

using Hoist.Config;
using Hoist.Output;
using Hoist.Shell;

public sealed class PlainReporterTests
{
    [Fact]
    public void Every_Line_Is_Redacted_And_Made_Visible()
    {
        _ = new Secret("r3p0rter-secret-1");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var reporter = new PlainReporter(stdout, stderr, verbose: true);
        var host = HostConfig.Local("me");

        reporter.Output(host, "key=r3p0rter-secret-1\u001b[2J", isError: false);
        reporter.Output(host, "err r3p0rter-secret-1", isError: true);
        reporter.Step(host, "build: echo \u001b]0;t\u0007");
        reporter.HostDone(host, false, "locked by \u001b[1;1Hx");
        reporter.Info("info r3p0rter-secret-1");
        reporter.Warn("warn \u0007");
        reporter.Verbose(host, "export K=r3p0rter-secret-1");

        var all = stdout.ToString() + stderr;
        Assert.DoesNotContain("r3p0rter-secret-1", all);
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.Contains(@"key=[REDACTED]\x1b[2J", stdout.ToString());
        Assert.Contains("err [REDACTED]", stderr.ToString());
        Assert.Contains(@"FAILED: locked by \x1b[1;1Hx", stdout.ToString());
    }
}
