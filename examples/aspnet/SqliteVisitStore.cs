namespace HoistDemo;

using Microsoft.Data.Sqlite;

/// <summary>Visits in a SQLite file that all workers open at once.</summary>
internal sealed class SqliteVisitStore(string path) : VisitStore
{
    // A writer waits up to 5 s for another worker's write instead of failing with "database is locked".
    private const int BusyTimeoutMs = 5000;

    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = BusyTimeoutMs / 1000,
    }.ToString();

    public override string Description => $"SQLite {path}";

    protected override async Task CreateSchemaAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = await OpenAsync(cancel);
        // WAL lets readers and the one writer overlap; the setting is kept in the file.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancel);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS visits (id integer PRIMARY KEY, count integer NOT NULL);", cancel);
    }

    protected override async Task<long> UpsertAsync(CancellationToken cancel)
    {
        await using var connection = await OpenAsync(cancel);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO visits (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = count + 1 RETURNING count;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancel), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancel)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancel);
        // Per connection: SQLite's own busy handler retries with short sleeps. NORMAL is safe under WAL
        // (a power cut may lose the last visits, never the file).
        await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;", cancel);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancel)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancel);
    }
}
