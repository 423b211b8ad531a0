namespace Hoist.Tests.Setup;

using Hoist.Config;
using Hoist.Setup;

public sealed class SetupLogTests
{
    private static readonly HostConfig One = new("10.0.0.1", 22, "root", false);
    private static readonly HostConfig Two = new("10.0.0.2", 22, "root", false);

    [Fact]
    public void Audit_Line_Names_What_Changed_On_That_Host()
    {
        var log = new SetupLog();
        log.Record(One, ok: true, ["user app (group www-data)", "/srv/app/shared/serve.ini"]);
        log.Record(Two, ok: false, []);

        Assert.Equal("T me@here setup result=ok changed=2: user app (group www-data); /srv/app/shared/serve.ini", log.AuditLine(Line, One));
        Assert.Equal("T me@here setup result=failed changed=0", log.AuditLine(Line, Two));
    }

    [Fact]
    public void Host_Setup_Never_Reached_Says_Not_Run()
    {
        Assert.Equal("T me@here setup result=not-run changed=0", new SetupLog().AuditLine(Line, One));
    }

    private static string Line(string what, string fields) => $"T me@here {what} {fields}";
}
