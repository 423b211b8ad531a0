namespace Hoist.Tests.Examples;

using System.Globalization;
using System.Net;
using Hoist.Config;
using Hoist.Tests.Support;

/// <summary>
/// examples/flask under gunicorn against a real, throwaway PostgreSQL: migrate as the owner role, then the app
/// as a role without DDL rights. One class fixture, so the tests share the server and run one after another.
/// </summary>
public sealed class FlaskExampleTests(FlaskExample example) : IClassFixture<FlaskExample>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var migrate = await example.MigrateAsync(example.OwnerUrl, example.AppUrl);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migrate_As_Owner_Is_Idempotent_And_Leaves_The_App_Role_Without_Ddl()
    {
        var again = await example.MigrateAsync(example.OwnerUrl, example.AppUrl);
        var asApp = await example.MigrateAsync(migrateUrl: null, example.AppUrl);
        var create = await example.Postgres.TryPsqlAsync("CREATE TABLE sneaky (id int);", FlaskExample.AppRole, FlaskExample.Database);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal($"migrate: visits table ready in postgresql://{FlaskExample.Owner}:[REDACTED]@127.0.0.1:{example.Postgres.Port}/{FlaskExample.Database}\n", again.Stdout);
        Assert.Contains("visits_id_seq", await example.Postgres.PsqlAsync("SELECT sequencename FROM pg_sequences;", database: FlaskExample.Database), StringComparison.Ordinal);
        Assert.Contains("visits_at", await example.Postgres.PsqlAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'visits';", database: FlaskExample.Database), StringComparison.Ordinal);
        // Without MIGRATE_DATABASE_URL it runs as DATABASE_URL: the app role, which may not create anything.
        Assert.Equal(1, asApp.ExitCode);
        Assert.Contains("permission denied for schema public", asApp.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, create.ExitCode);
        AssertNoPassword(again.All + asApp.All);
    }

    [Fact]
    public async Task Each_Visit_Is_A_Row_Written_As_The_App_Role_And_The_Page_Shows_The_Latest_Rows()
    {
        var before = await VisitCountAsync();
        await using var app = await example.StartAsync(example.AppUrl);

        var first = await app.Http.GetStringAsync("/");
        var second = await app.Http.GetStringAsync("/");
        var rows = await example.Postgres.PsqlAsync(
            "SELECT id, worker, release FROM visits ORDER BY id DESC LIMIT 2;", FlaskExample.AppRole, FlaskExample.Database);

        Assert.Equal(before + 2, await VisitCountAsync());
        var ids = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('|')).ToList();
        Assert.All(ids, r => Assert.Equal(["1", FlaskExample.ReleaseId], r[1..]));
        Assert.Contains($"<tr id=\"visit-{ids[1][0]}\">", first, StringComparison.Ordinal);
        Assert.DoesNotContain($"<tr id=\"visit-{ids[0][0]}\">", first, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"visit-{ids[0][0]}\">", second, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"visit-{ids[1][0]}\">", second, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"release\">{FlaskExample.ReleaseId}</dd>", second, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/static/site.css\">", second, StringComparison.Ordinal);
        AssertNoPassword(second);
    }

    [Fact]
    public async Task Up_Is_200_When_The_Database_Answers_And_The_Stylesheet_Is_Served()
    {
        await using var app = await example.StartAsync(example.AppUrl);

        using var up = await app.Http.GetAsync("/up");
        using var css = await app.Http.GetAsync("/static/site.css");

        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal("ok\n", await up.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body {", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stopped")]
    [InlineData("wrong password")]
    public async Task Without_Its_Database_Up_Is_503_And_No_Password_Appears_Anywhere(string fault)
    {
        var url = fault == "stopped"
            ? $"postgresql://{FlaskExample.AppRole}:{Uri.EscapeDataString(FlaskExample.AppPassword)}@127.0.0.1:{ClosedPort()}/{FlaskExample.Database}"
            : example.Postgres.Url(FlaskExample.AppRole, FlaskExample.OwnerPassword, FlaskExample.Database);
        var before = await VisitCountAsync();
        await using var app = await example.StartAsync(url);

        using var up = await app.Http.GetAsync("/up");
        using var page = await app.Http.GetAsync("/");
        var upBody = await up.Content.ReadAsStringAsync();
        var pageBody = await page.Content.ReadAsStringAsync();
        var output = await app.StopAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, up.StatusCode);
        Assert.Equal("not ready: database unavailable\n", upBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains($"the database at postgresql://{FlaskExample.AppRole}:[REDACTED]@127.0.0.1:", pageBody, StringComparison.Ordinal);
        // The workers log one line per failure, with the URL masked.
        Assert.Contains($"{FlaskExample.AppRole}:[REDACTED]@", output.All, StringComparison.Ordinal);
        AssertNoPassword(upBody + pageBody + output.All);
        Assert.Equal(before, await VisitCountAsync());
    }

    [Fact]
    public async Task Without_Database_Url_The_Page_Is_500_With_The_Reason_And_Up_Is_503()
    {
        await using var app = await example.StartAsync(databaseUrl: null);

        using var page = await app.Http.GetAsync("/");
        using var up = await app.Http.GetAsync("/up");

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Contains("DATABASE_URL is not set", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, up.StatusCode);
    }

    [Fact]
    public void Hoist_Yml_Is_A_Valid_Config_With_Web_And_Db_Roles_Serve_And_Setup()
    {
        var path = SourceTree.Combine("examples", "flask", "hoist.yml");

        var result = ConfigLoader.Load(path, new Dictionary<string, string> { ["HOME"] = "/home/me", ["USER"] = "me" });

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var config = result.Config;
        Assert.Equal("myproject", config.App);
        Assert.Equal(["web", "db"], config.Roles.Select(r => r.Name));
        Assert.NotNull(config.Serve);
        Assert.Equal("myproject_app", config.Setup!.Database!.User);
        Assert.Equal(["203.0.113.10/32"], config.Setup.Database.AllowFrom);
        Assert.Null(config.Reload); // deploy reloads the service hoist setup made
    }

    private async Task<int> VisitCountAsync() =>
        int.Parse((await example.Postgres.PsqlAsync("SELECT count(*) FROM visits;", database: FlaskExample.Database)).Trim(), CultureInfo.InvariantCulture);

    private static void AssertNoPassword(string text)
    {
        foreach (var password in (string[])[FlaskExample.AppPassword, FlaskExample.OwnerPassword])
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(password), text, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
