namespace HoistDemo;

/// <summary>The visit counter, shared by every worker through a database.</summary>
internal abstract class VisitStore : IAsyncDisposable
{
    private readonly SemaphoreSlim schemaGate = new(1, 1);
    private volatile bool schemaReady;
    private long lastSeen = -1;

    /// <summary>Where the visits are kept, fit to print: never a password.</summary>
    public abstract string Description { get; }

    /// <summary>The count this process last returned, without asking the database; null before the first visit.</summary>
    public long? LastSeen => Interlocked.Read(ref lastSeen) is var value and >= 0 ? value : null;

    /// <summary>PostgreSQL when DATABASE_URL is set, else SQLite in HOIST_DATA_DIR (or the current folder).</summary>
    public static VisitStore FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable("DATABASE_URL");
        if (!string.IsNullOrEmpty(url))
        {
            return new PostgresVisitStore(DatabaseUrl.Parse(url));
        }

        var dataDir = Environment.GetEnvironmentVariable("HOIST_DATA_DIR");
        return new SqliteVisitStore(Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(dataDir) ? "." : dataDir, "visits.db")));
    }

    /// <summary>Creates the table now (<c>dotnet HoistDemo.dll migrate</c>, as a role that may).</summary>
    public Task MigrateAsync(CancellationToken cancel) => CreateSchemaAsync(cancel);

    /// <summary>Adds one visit and returns the new total.</summary>
    public async Task<long> IncrementAsync(CancellationToken cancel)
    {
        await EnsureSchemaAsync(cancel);
        var count = await UpsertAsync(cancel);
        Interlocked.Exchange(ref lastSeen, count);
        return count;
    }

    public virtual ValueTask DisposeAsync()
    {
        schemaGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates the table if missing; several workers may race here, which must be harmless.</summary>
    protected abstract Task CreateSchemaAsync(CancellationToken cancel);

    /// <summary>Adds one to row 1 in a single atomic statement and returns the new count.</summary>
    protected abstract Task<long> UpsertAsync(CancellationToken cancel);

    // Lazily, on the first visit, so that a worker starts (and answers /up) without the database;
    // a failure is retried by the next visit.
    private async Task EnsureSchemaAsync(CancellationToken cancel)
    {
        if (schemaReady)
        {
            return;
        }

        await schemaGate.WaitAsync(cancel);
        try
        {
            if (!schemaReady)
            {
                await CreateSchemaAsync(cancel);
                schemaReady = true;
            }
        }
        finally
        {
            schemaGate.Release();
        }
    }
}
