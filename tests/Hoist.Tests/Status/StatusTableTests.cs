namespace Hoist.Tests.Status;

using Hoist.Config;
using Hoist.Status;
using static Hoist.Tests.Status.HostStatusReportTests;

public sealed class StatusTableTests
{
    private static readonly HostConfig Web1 = new("10.0.0.1", 22, "root", false);
    private static readonly HostConfig Web2 = new("10.0.0.2", 22, "root", false);
    private static readonly HostConfig Web3 = new("10.0.0.3", 22, "root", false);

    [Fact]
    public void One_Row_Per_Host_Then_Why_Each_Unhealthy_One_Is()
    {
        IReadOnlyList<HostStatus> hosts =
        [
            Read(Web1, Healthy()),
            Read(Web2, Healthy(serve: Serve(("ready", 0), ("restarting", 4), ("ready", 0)), health: "HTTP/1.1 502 Bad Gateway")),
            HostStatusReport.Unreachable(Web3, "cannot connect to 10.0.0.3:22: Connection refused"),
        ];

        Assert.Equal("""
            destination staging
            host      release         revision      deployed                           workers  restarts  memory     unit    health
            10.0.0.1  20261203140000  9f3c1e7a5b2d  2026-12-03T14:00:05Z by me@laptop  3/3      1         140.0 MiB  active  200
            10.0.0.2  20261203140000  9f3c1e7a5b2d  2026-12-03T14:00:05Z by me@laptop  2/3      4         110.0 MiB  active  502
            10.0.0.3  unreachable
            10.0.0.2: unhealthy: workers ready 2/3: exit 137 after 0.1 s; health /up answered 'HTTP/1.1 502 Bad Gateway' (2xx wanted)
            10.0.0.3: unhealthy: unreachable: cannot connect to 10.0.0.3:22: Connection refused
            2 of 3 host(s) unhealthy
            """, StatusTable.Render(hosts, "staging"));
    }

    [Fact]
    public void All_Healthy_Says_So()
    {
        var text = StatusTable.Render([Read(Web1, Healthy()), Read(Web2, Healthy())], null);

        Assert.EndsWith("\nall 2 host(s) healthy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unhealthy", text, StringComparison.Ordinal);
        Assert.StartsWith("host ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Has_Every_Key_For_Every_Host_Null_When_Unknown()
    {
        var json = StatusJson.Render([Read(Web1, Healthy()), HostStatusReport.Unreachable(Web3, "refused")], "staging");

        Assert.Equal("""
            {
              "destination": "staging",
              "healthy": false,
              "hosts": [
                {
                  "host": "10.0.0.1",
                  "healthy": true,
                  "reachable": true,
                  "problems": [],
                  "release": "20261203140000",
                  "revision": "9f3c1e7a5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f",
                  "deployed": {
                    "at": "2026-12-03T14:00:05Z",
                    "by": "me@laptop",
                    "what": "deploy",
                    "destination": "staging"
                  },
                  "unit": "active",
                  "workers": {
                    "ready": 3,
                    "total": 3,
                    "restarts": 1,
                    "memory_bytes": 146800640
                  },
                  "health": {
                    "path": "/up",
                    "answer": "HTTP/1.1 200 OK",
                    "status": 200
                  }
                },
                {
                  "host": "10.0.0.3",
                  "healthy": false,
                  "reachable": false,
                  "problems": [
                    "unreachable: refused"
                  ],
                  "release": null,
                  "revision": null,
                  "deployed": null,
                  "unit": null,
                  "workers": null,
                  "health": null
                }
              ]
            }
            """, json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Json_Escapes_What_A_Host_Said()
    {
        var json = StatusJson.Render([Read(Web1, Healthy(unit: "act\"ive\\ <x>"))], null);

        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("act\"ive\\ <x>", parsed.RootElement.GetProperty("hosts")[0].GetProperty("unit").GetString());
        Assert.False(parsed.RootElement.GetProperty("healthy").GetBoolean());
    }
}
