namespace Hoist.Tests.Support;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A throwaway PostgreSQL server for one test: initdb into a temporary folder owned by the postgres user,
/// listening on 127.0.0.1 at a free port (password logins) and on a unix socket in that folder (trust, for
/// <see cref="PsqlAsync"/>). The system's own cluster is never touched. Disposing stops it and removes the folder.
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private readonly TempDir dir;
    private readonly string bin;

    private TempPostgres(TempDir dir, string bin, int port)
    {
        this.dir = dir;
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The folder of the unix socket (psql -h).</summary>
    public string SocketDir => dir.Combine("pg");

    private string DataDir => dir.Combine("pg", "data");

    private string LogFile => dir.Combine("pg", "server.log");

    public static async Task<TempPostgres> StartAsync()
    {
        var dir = new TempDir("hoist-pg");
        var server = new TempPostgres(dir, BinDir(), FreePort.OnLoopback());
        try
        {
            await server.InitAndStartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>postgresql://user:password@127.0.0.1:port/database, as an app's DATABASE_URL.</summary>
    public string Url(string user, string password, string database) =>
        $"postgresql://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/{Uri.EscapeDataString(database)}";

    /// <summary>Runs SQL (on psql's stdin) over the unix socket as <paramref name="user"/> (default: postgres); returns psql's unaligned output.</summary>
    public async Task<string> PsqlAsync(string sql, string? user = null, string database = "postgres")
    {
        var result = await TryPsqlAsync(sql, user, database);
        Assert.True(result.ExitCode == 0, $"psql as {user ?? Superuser} on {database} failed: {result}");
        return result.Stdout;
    }

    /// <summary>As <see cref="PsqlAsync"/>, for SQL that is expected to fail.</summary>
    public Task<RunResult> TryPsqlAsync(string sql, string? user = null, string database = "postgres") =>
        AsPostgresAsync(
            "psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDir, "-p", Port.ToString(CultureInfo.InvariantCulture),
                "-U", user ?? Superuser, "-d", database],
            stdin: sql);

    /// <summary>A login role with a password; the password travels in SQL on stdin, never on a command line.</summary>
    public Task CreateRoleAsync(string name, string password) =>
        PsqlAsync($"CREATE ROLE {Identifier(name)} LOGIN PASSWORD {Literal(password)};");

    /// <summary>A database owned by <paramref name="owner"/>, which may then create tables in its public schema.</summary>
    public Task CreateDatabaseAsync(string name, string owner) =>
        PsqlAsync($"CREATE DATABASE {Identifier(name)} OWNER {Identifier(owner)};");

    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            await AsPostgresAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        }

        dir.Dispose();
    }

    private async Task InitAndStartAsync()
    {
        // TempDir is 0700 root's; the postgres user needs to pass through it to its own folder.
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(SocketDir);
        var chown = await Run.ProcessAsync("chown", [$"{Superuser}:{Superuser}", SocketDir]);
        Assert.True(chown.ExitCode == 0, $"chown postgres {SocketDir}: {chown}");
        await Checked(AsPostgresAsync(
            "initdb", ["-D", DataDir, "-U", Superuser, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"]));
        // Settings in the file rather than pg_ctl -o, which goes through a shell.
        File.AppendAllText(Path.Combine(DataDir, "postgresql.conf"), string.Join('\n',
            "",
            "listen_addresses = '127.0.0.1'",
            $"port = {Port}",
            $"unix_socket_directories = '{SocketDir}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            ""));
        await Checked(AsPostgresAsync("pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "start"]));
    }

    private async Task Checked(Task<RunResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, $"{result}\n--- server.log\n{(File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(none)")}");
    }

    private async Task<RunResult> AsPostgresAsync(string tool, IEnumerable<string> args, string? stdin = null)
    {
        var start = new ProcessStartInfo("runuser")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SocketDir, // the postgres user may not be able to read the test's own folder
        };
        foreach (var arg in (string[])["-u", Superuser, "--", Path.Combine(bin, tool), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"runuser {tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 90 s: {await stdout}{await stderr}");
        }

        return new RunResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The newest installed server's bin folder: /usr/lib/postgresql/&lt;version&gt;/bin.</summary>
    private static string BinDir()
    {
        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && int.TryParse(Path.GetFileName(d), out _))
                .MaxBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            : null;
        return newest is null
            ? throw new InvalidOperationException($"no PostgreSQL server under {root}; run scripts/install-test-deps")
            : Path.Combine(newest, "bin");
    }

}
