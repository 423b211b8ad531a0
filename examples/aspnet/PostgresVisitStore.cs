namespace HoistDemo;

using Npgsql;

/// <summary>Visits in PostgreSQL, reached through DATABASE_URL.</summary>
internal sealed class PostgresVisitStore(DatabaseUrl url) : VisitStore
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(url.ConnectionString);

    public override string Description => $"PostgreSQL {url.Redacted}";

    public override async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <remarks>
    /// Only when the table is missing: even CREATE TABLE IF NOT EXISTS needs the right to create in the schema, which
    /// a least-privilege role (hoist setup's app role: rows only) does not have; `dotnet HoistDemo.dll migrate`, run as
    /// the owner, creates it before such a role ever serves.
    /// </remarks>
    protected override async Task CreateSchemaAsync(CancellationToken cancel)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('visits') IS NOT NULL"))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancel))!)
            {
                return;
            }
        }

        await using var command = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS visits (id int PRIMARY KEY, count bigint NOT NULL)");
        try
        {
            await command.ExecuteNonQueryAsync(cancel);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Two workers created it at the same moment: IF NOT EXISTS does not lock the catalog, the table is there.
        }
    }

    protected override async Task<long> UpsertAsync(CancellationToken cancel)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO visits (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = visits.count + 1 RETURNING count");
        return (long)(await command.ExecuteScalarAsync(cancel))!;
    }
}
