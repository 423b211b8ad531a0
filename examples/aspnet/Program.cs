// HoistDemo: the app Hoist's README deploys. It says which release and worker answered, so a
// reload can be watched from outside, and counts visits in PostgreSQL or SQLite.
using System.Data.Common;
using HoistDemo;

// `dotnet HoistDemo.dll migrate`: creates the visits table as MIGRATE_DATABASE_URL (the owner role hoist setup
// makes), or DATABASE_URL when that is unset; a deploy's build step runs it before the release serves.
if (args is ["migrate"])
{
    var owner = Environment.GetEnvironmentVariable("MIGRATE_DATABASE_URL");
    if (!string.IsNullOrEmpty(owner))
    {
        Environment.SetEnvironmentVariable("DATABASE_URL", owner);
    }

    try
    {
        await using var store = VisitStore.FromEnvironment();
        await store.MigrateAsync(CancellationToken.None);
        Console.WriteLine($"migrate: visits table ready in {store.Description}");
        return 0;
    }
    catch (Exception e) when (e is FormatException or DbException)
    {
        Console.Error.WriteLine($"migrate: {e.Message}");
        return 1;
    }
}

var identity = AppIdentity.Load();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = identity.ContentRoot,
});
ListenAddress.ApplyDefault(builder);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
VisitStore visits;
try
{
    visits = VisitStore.FromEnvironment();
}
catch (FormatException e)
{
    Console.Error.WriteLine($"HoistDemo: {e.Message}");
    return 1;
}

var app = builder.Build();
app.UseStaticFiles();

// The health check: no database, so a slow or absent database never takes workers out of rotation.
app.MapGet("/up", () => "ok");

app.MapGet("/", async (CancellationToken cancel) =>
{
    long count;
    try
    {
        count = await visits.IncrementAsync(cancel);
    }
    catch (DbException e)
    {
        // One line in the worker's log, not a stack trace per request while the database is down.
        app.Logger.LogError("visit counter in {Store} failed: {Error}", visits.Description, e.Message);
        return Results.Text("The visit counter is unavailable; see the log.\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    return Results.Content(Page.Render(identity, count, visits.Description), "text/html; charset=utf-8");
});

// Tests poll this to see which release answered; it reads nothing but memory.
app.MapGet("/api/info", () => new
{
    release = identity.Release,
    revision = identity.Revision,
    worker = identity.Worker,
    pid = identity.Pid,
    visits = visits.LastSeen,
});

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(
    $"HoistDemo listening on {string.Join(' ', app.Urls)} worker {identity.Worker ?? "-"} release {identity.Release} " +
    $"(pid {identity.Pid}, visits in {visits.Description})"));
app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine(
    $"HoistDemo stopping worker {identity.Worker ?? "-"} release {identity.Release} (pid {identity.Pid})"));

await app.RunAsync();
await visits.DisposeAsync();
return 0;
