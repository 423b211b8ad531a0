namespace Hoist.Tests.Examples;

using Hoist.Tests.Support;

/// <summary>
/// examples/flask copied into a folder named like a Hoist release, and a throwaway PostgreSQL with the two
/// roles `hoist setup` is to create: an owner (owns the database, runs migrate) and an app role that may only
/// connect and read and write rows, in tables and sequences the owner creates.
/// </summary>
public sealed class FlaskExample : IAsyncLifetime
{
    public const string ReleaseId = "20260101120000";
    public const string Database = "myproject";
    public const string Owner = "myproject_owner";
    public const string AppRole = "myproject_app";

    // Distinctive, so a leak shows in any output; the '@' and '/' check that the app handles percent-encoding.
    public const string OwnerPassword = "owner-Pw@7f3e/91";
    public const string AppPassword = "app-Pw@c41d/22";

    private TempPostgres? postgres;

    public TempDir Dir { get; } = new("hoist-flask");

    public TempPostgres Postgres => postgres ?? throw new InvalidOperationException("not started");

    /// <summary>The app's folder, as a release: its name is what the page reports as the release.</summary>
    public string Release => Dir.Combine("releases", ReleaseId);

    public string OwnerUrl => Postgres.Url(Owner, OwnerPassword, Database);

    public string AppUrl => Postgres.Url(AppRole, AppPassword, Database);

    public async Task InitializeAsync()
    {
        CopyFolder(SourceTree.Combine("examples", "flask"), Release);
        postgres = await TempPostgres.StartAsync();
        await Postgres.CreateRoleAsync(Owner, OwnerPassword);
        await Postgres.CreateRoleAsync(AppRole, AppPassword);
        await Postgres.CreateDatabaseAsync(Database, Owner);
        await Postgres.PsqlAsync($"""
            REVOKE ALL ON DATABASE {Database} FROM PUBLIC;
            GRANT CONNECT ON DATABASE {Database} TO {AppRole};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {AppRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {AppRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {AppRole};
            """, database: Database);
    }

    public async Task DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        Dir.Dispose();
    }

    /// <summary>python3 -m myproject.migrate in the release, with only the given URLs in its environment.</summary>
    public Task<RunResult> MigrateAsync(string? migrateUrl, string? databaseUrl) =>
        Run.ProcessAsync("/usr/bin/python3", ["-m", "myproject.migrate"], Release, new Dictionary<string, string>
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["MIGRATE_DATABASE_URL"] = migrateUrl ?? "",
            ["DATABASE_URL"] = databaseUrl ?? "",
        });

    public Task<FlaskApp> StartAsync(string? databaseUrl) => FlaskApp.StartAsync(Release, databaseUrl);

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Contains("__pycache__"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
