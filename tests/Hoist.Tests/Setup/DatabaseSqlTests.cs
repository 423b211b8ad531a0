namespace Hoist.Tests.Setup;

using Hoist.Config;
using Hoist.Setup;
using Hoist.Tests.Support;

/// <summary>hoist setup's SQL against a real PostgreSQL (a throwaway server): idempotent, least privilege, scram login.</summary>
public sealed class DatabaseSqlTests
{
    private static readonly DatabaseSetup Db = new("shop", "shop_owner", "shop_app", 5432, "127.0.0.1", ["127.0.0.1/32"]);

    [Fact]
    public async Task Second_Run_Changes_Nothing_And_The_App_Role_Can_Only_Read_And_Write_Rows()
    {
        await using var pg = await TempPostgres.StartAsync();
        var (ownerPassword, appPassword) = (Scram.NewPassword(), Scram.NewPassword());
        var sql = DatabaseSql.Render(Db, Scram.Verifier(Db.Owner, ownerPassword), Scram.Verifier(Db.User, appPassword));

        var first = await pg.TryPsqlAsync(sql);
        var second = await pg.TryPsqlAsync(sql);
        // The owner migrates: a table and its sequence, created after the default privileges were set.
        await pg.PsqlAsync("CREATE TABLE visits (id bigserial PRIMARY KEY, note text);", Db.Owner, Db.Name);
        var third = await pg.TryPsqlAsync(sql);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(
            ["hoist: role shop_owner created", "hoist: role shop_app created", "hoist: database shop changed", "hoist: privileges of shop_app changed"],
            Notices(first));
        Assert.Equal(
            ["hoist: role shop_owner ok", "hoist: role shop_app ok", "hoist: database shop ok", "hoist: privileges of shop_app ok"],
            Notices(second));
        Assert.Equal(Notices(second), Notices(third));

        // Rows: yes.
        await pg.PsqlAsync("INSERT INTO visits (note) VALUES ('a'); UPDATE visits SET note = 'b'; SELECT count(*) FROM visits; DELETE FROM visits;", Db.User, Db.Name);

        // Schema: no.
        foreach (var ddl in new[] { "CREATE TABLE t (x int)", "DROP TABLE visits", "ALTER TABLE visits ADD COLUMN y int", "CREATE SCHEMA s", "TRUNCATE visits" })
        {
            var denied = await pg.TryPsqlAsync(ddl + ";", Db.User, Db.Name);
            Assert.True(denied.ExitCode != 0 && (denied.Stderr.Contains("permission denied", StringComparison.Ordinal) || denied.Stderr.Contains("must be owner", StringComparison.Ordinal)), $"{ddl}: {denied}");
        }

        // Other databases: no connect (PUBLIC keeps CONNECT on postgres, but not on the app's own database for others).
        var stranger = await pg.TryPsqlAsync("CREATE ROLE stranger LOGIN;");
        Assert.True(stranger.ExitCode == 0, stranger.ToString());
        var strangerIn = await pg.TryPsqlAsync("SELECT 1;", "stranger", Db.Name);
        Assert.Contains("permission denied for database \"shop\"", strangerIn.Stderr, StringComparison.Ordinal);

        // The verifier hoist computed is the password PostgreSQL checks (scram over TCP).
        Assert.Equal("1", await LoginAsync(pg, Db.User, appPassword));
        Assert.Equal("1", await LoginAsync(pg, Db.Owner, ownerPassword));
        Assert.NotEqual("1", await LoginAsync(pg, Db.User, ownerPassword));
    }

    [Fact]
    public async Task A_New_Password_Is_A_Change()
    {
        await using var pg = await TempPostgres.StartAsync();
        var owner = Scram.Verifier(Db.Owner, "owner-password-1");
        await pg.PsqlAsync(DatabaseSql.Render(Db, owner, Scram.Verifier(Db.User, "app-password-1")));

        var rotated = await pg.TryPsqlAsync(DatabaseSql.Render(Db, owner, Scram.Verifier(Db.User, "app-password-2")));

        Assert.Contains("hoist: role shop_app changed", Notices(rotated));
        Assert.Contains("hoist: role shop_owner ok", Notices(rotated));
        Assert.Equal("1", await LoginAsync(pg, Db.User, "app-password-2"));
    }

    [Fact]
    public async Task An_App_Role_Made_A_Member_Of_The_Owner_Is_Taken_Out_Again()
    {
        await using var pg = await TempPostgres.StartAsync();
        var sql = DatabaseSql.Render(Db, Scram.Verifier(Db.Owner, "owner-password-1"), Scram.Verifier(Db.User, "app-password-1"));
        await pg.PsqlAsync(sql);
        await pg.PsqlAsync($"GRANT {Db.Owner} TO {Db.User};");

        var fixedUp = await pg.TryPsqlAsync(sql);

        Assert.Contains("hoist: privileges of shop_app changed", Notices(fixedUp));
        Assert.Equal("0", (await pg.PsqlAsync($"SELECT count(*) FROM pg_auth_members WHERE member = '{Db.User}'::regrole;")).Trim());
        var denied = await pg.TryPsqlAsync("CREATE TABLE t (x int);", Db.User, Db.Name);
        Assert.Contains("permission denied", denied.Stderr, StringComparison.Ordinal);
    }

    private static List<string> Notices(RunResult result) =>
        result.Stderr.Split('\n').Where(l => l.StartsWith("NOTICE:  hoist: ", StringComparison.Ordinal)).Select(l => l["NOTICE:  ".Length..]).ToList();

    /// <summary>psql over TCP with a password (from the environment, not the command line); "1" when it got in.</summary>
    private static async Task<string> LoginAsync(TempPostgres pg, string role, string password)
    {
        var result = await Run.ProcessAsync(
            "psql",
            ["-X", "-A", "-t", "-h", "127.0.0.1", "-p", pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", role, "-d", Db.Name, "-c", "SELECT 1"],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "5" });
        return result.ExitCode == 0 ? result.Stdout.Trim() : result.Stderr.Trim();
    }
}
