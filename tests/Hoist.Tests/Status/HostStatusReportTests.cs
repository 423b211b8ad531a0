namespace Hoist.Tests.Status;

using System.Text;
using System.Text.Json;
using Hoist.Config;
using Hoist.Remote;
using Hoist.Serve.Control;
using Hoist.Shell;
using Hoist.Status;
using Hoist.Tests.Logs;

public sealed class HostStatusReportTests
{
    private static readonly HostConfig Web1 = new("10.0.0.1", 22, "root", false);
    private static readonly HostConfig Web2 = new("10.0.0.2", 22, "root", false);

    [Fact]
    public void A_Serving_Host_Is_Healthy_With_Its_Release_Revision_Deployer_Workers_Unit_And_Health()
    {
        var status = Read(Web1, Healthy());

        Assert.True(status.Healthy, string.Join("; ", status.Problems));
        Assert.Equal("20261203140000", status.Release);
        Assert.Equal("9f3c1e7a5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f", status.Revision);
        Assert.Equal(new AuditEntry("2026-12-03T14:00:05Z", "me@laptop", "deploy", "staging"), status.Deployed);
        Assert.Equal("active", status.Unit);
        Assert.Equal(new WorkerSummary(3, 3, 1, (50 + 30 + 30 + 30) * 1024L * 1024), status.Workers);
        Assert.Equal(200, status.HealthCode);
    }

    [Fact]
    public void Killed_Workers_A_Stopped_Unit_And_A_502_Each_Make_The_Host_Unhealthy_Saying_Why()
    {
        var lines = Healthy(serve: Serve(("ready", 0), ("restarting", 4), ("starting", 2)), unit: "failed", health: "HTTP/1.1 502 Bad Gateway");

        var status = Read(Web2, lines);

        Assert.False(status.Healthy);
        Assert.Equal(
            ["unit myapp.service is failed", "workers ready 1/3: exit 137 after 0.1 s", "health /up answered 'HTTP/1.1 502 Bad Gateway' (2xx wanted)"],
            status.Problems);
    }

    [Fact]
    public void Nothing_Deployed_And_A_Silent_Server_Are_Problems_Too()
    {
        var lines = new List<string> { M("unit", "active"), M("serve_exit", "1"), M("serve", B64("error: no hoist serve runs for /srv/myapp/shared/serve.ini\nmore")), M("health", "") };

        var status = Read(Web1, lines);

        Assert.Equal(
            ["no live release (run hoist deploy)", "hoist serve does not answer its status: error: no hoist serve runs for /srv/myapp/shared/serve.ini",
             "health /up answered 'nothing' (2xx wanted)"],
            status.Problems);
        Assert.Null(status.Workers);
        Assert.Null(status.HealthCode);
    }

    [Fact]
    public void Hostile_Values_From_A_Host_Are_Ignored_Or_Shown_Harmless()
    {
        KnownSecrets.Add("s3cret-value-42");
        var lines = new List<string>
        {
            M("current", "../../etc"),
            M("revision", "\u001b]0;pwned\u0007abc"),
            M("audit", "2026-12-03T14:00:05Z me deploy release=../../etc"),
            M("unit", "active\u001b[31m s3cret-value-42"),
            M("serve_exit", "0"),
            M("serve", "%%%not base64"),
            M("health", "HTTP/1.1 2000 OK"),
            "::hoist-forged:: health=HTTP/1.1 200 OK",
        };

        var status = Read(Web1, lines);

        Assert.Null(status.Release);
        Assert.Null(status.Revision);
        Assert.Null(status.Deployed);
        Assert.DoesNotContain('\u001b', status.Unit!);
        Assert.DoesNotContain("s3cret-value-42", string.Join(" ", status.Problems) + status.Unit, StringComparison.Ordinal);
        Assert.Null(status.HealthCode);
        Assert.Equal(4, status.Problems.Count);
        Assert.StartsWith("current points at something that is not a release", status.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("unit myapp.service is active", status.Problems[1], StringComparison.Ordinal);
        Assert.Equal("hoist serve does not answer its status: exit 0", status.Problems[2]);
        Assert.Equal("health /up answered 'HTTP/1.1 2000 OK' (2xx wanted)", status.Problems[3]);
    }

    [Fact]
    public void A_Failed_Script_Or_Lost_Connection_Is_An_Unreachable_Row()
    {
        var run = HostRun.From(Web1, 255, [("connection lost during status: reset", true)]) with { Lost = "connection lost during status: reset" };

        var status = HostStatusReport.Read(run, LogsScriptTests.Config());

        Assert.False(status.Reachable);
        Assert.Equal(["unreachable: connection lost during status: reset"], status.Problems);
    }

    [Fact]
    public void The_Audit_Line_That_Made_A_Release_Live_Is_The_Last_Deploy_Rollback_Or_Revert_To_It()
    {
        string[] log =
        [
            "2026-12-03T13:00:00Z a@x deploy release=20261203130000 revision=1 previous=- migrate=none",
            "2026-12-03T14:00:00Z b@y deploy release=20261203140000 revision=2 previous=20261203130000 migrate=none",
            "2026-12-03T14:01:00Z b@y revert deploy release=20261203140000 back=20261203130000 reason=health",
            "2026-12-03T14:02:00Z c@z setup result=ok changed=0",
            "garbage line release=20261203130000",
        ];

        Assert.Equal(new AuditEntry("2026-12-03T14:01:00Z", "b@y", "revert", null), AuditEntry.Find(log, "20261203130000"));
        Assert.Equal(new AuditEntry("2026-12-03T14:00:00Z", "b@y", "deploy", null), AuditEntry.Find(log, "20261203140000"));
        Assert.Null(AuditEntry.Find(log, "20261203150000"));
        Assert.Null(AuditEntry.Find(log, null));
    }

    internal static HostStatus Read(HostConfig host, IEnumerable<string> stdout) =>
        HostStatusReport.Read(HostRun.From(host, 0, stdout.Select(l => (l, false))), LogsScriptTests.Config());

    internal static List<string> Healthy(string? serve = null, string unit = "active", string health = "HTTP/1.1 200 OK") =>
    [
        M("current", "20261203140000"),
        M("revision", "9f3c1e7a5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f"),
        M("audit", "2026-12-03T13:00:00Z me@laptop deploy release=20261203130000 revision=1 previous=- migrate=none"),
        M("audit", "2026-12-03T14:00:05Z me@laptop deploy destination=staging release=20261203140000 revision=0123456 previous=20261203130000 migrate=ran"),
        M("unit", unit),
        M("serve_exit", "0"),
        M("serve", B64(serve ?? Serve(("ready", 0), ("ready", 1), ("ready", 0)))),
        M("health", health),
    ];

    /// <summary>hoist serve's status JSON with one worker per slot (state, restarts).</summary>
    internal static string Serve(params (string State, int Restarts)[] slots) => JsonSerializer.Serialize(
        new ServeStatus(100, "unix:/srv/myapp/shared/run/app.sock", 2, 1, null, 50L * 1024 * 1024,
            slots.Select((s, i) => new WorkerReport(i, s.State == "restarting" ? 0 : 200 + i, s.State, 10, 0, s.State == "restarting" ? 0 : 30L * 1024 * 1024,
                s.Restarts, false, 2, "/srv/myapp/releases/20261203140000", "", s.State == "restarting" ? "exit 137 after 0.1 s\nlast lines" : null)).ToList()),
        ControlServer.Json);

    internal static string M(string key, string value) => Marker.Prefix + key + "=" + value;

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
