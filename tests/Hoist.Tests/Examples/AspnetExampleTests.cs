namespace Hoist.Tests.Examples;

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>examples/aspnet, published and run as a worker with SQLite (no PostgreSQL needed).</summary>
public sealed partial class AspnetExampleTests(AspnetExample example) : IClassFixture<AspnetExample>
{
    [Fact]
    public async Task Up_Answers_Ok_Without_Opening_The_Database()
    {
        await using var app = await example.StartAsync();

        using var response = await app.Http.GetAsync("/up");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(app.Data.Combine("visits.db")), "/up must not touch the database");
    }

    [Fact]
    public async Task Page_Shows_Release_Revision_Worker_And_Pid_And_Links_The_Stylesheet()
    {
        await using var app = await example.StartAsync(worker: "3");

        var html = await app.Http.GetStringAsync("/");

        // Started through `current`, it names the release folder the link points to.
        Assert.Contains($"<dd id=\"release\">{AspnetExample.ReleaseId}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"revision\">{AspnetExample.Revision}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"worker\">3</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"pid\">{app.Pid}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/static/site.css\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_The_Static_Stylesheet()
    {
        await using var app = await example.StartAsync();

        using var response = await app.Http.GetAsync("/static/site.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body {", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visits_Increase_Across_Requests_In_Sqlite()
    {
        await using var app = await example.StartAsync();

        var first = Visits(await app.Http.GetStringAsync("/"));
        var second = Visits(await app.Http.GetStringAsync("/"));

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.True(File.Exists(app.Data.Combine("visits.db")), "the counter lives in HOIST_DATA_DIR/visits.db");
    }

    [Fact]
    public async Task Info_Reports_Who_Answered_Without_Counting_A_Visit()
    {
        await using var app = await example.StartAsync(worker: "2");
        await app.Http.GetStringAsync("/");

        using var info = JsonDocument.Parse(await app.Http.GetStringAsync("/api/info"));
        using var again = JsonDocument.Parse(await app.Http.GetStringAsync("/api/info"));

        var root = info.RootElement;
        Assert.Equal(AspnetExample.ReleaseId, root.GetProperty("release").GetString());
        Assert.Equal(AspnetExample.Revision, root.GetProperty("revision").GetString());
        Assert.Equal("2", root.GetProperty("worker").GetString());
        Assert.Equal(app.Pid, root.GetProperty("pid").GetInt32());
        Assert.Equal(1, root.GetProperty("visits").GetInt64());
        Assert.Equal(1, again.RootElement.GetProperty("visits").GetInt64());
    }

    [Fact]
    public async Task Logs_One_Line_At_Start_And_Stops_Cleanly_On_Sigterm()
    {
        await using var app = await example.StartAsync(worker: "4");

        var result = await app.StopAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var started = Assert.Single(result.Stdout.Split('\n'), line => line.StartsWith("HoistDemo listening on", StringComparison.Ordinal));
        Assert.StartsWith($"HoistDemo listening on http://127.0.0.1:{app.Port} worker 4 release {AspnetExample.ReleaseId} ", started);
        Assert.Contains("HoistDemo stopping worker 4", result.Stdout, StringComparison.Ordinal);
    }

    private static long Visits(string html) => long.Parse(VisitsPattern().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<dd id=\"visits\">([0-9]+)</dd>")]
    private static partial Regex VisitsPattern();
}
