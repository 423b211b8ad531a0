namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on a typed report with its keys missing (issue 11 §7, <c>DatabaseUrlsReport</c>), on two real sshds: a web
/// host and a db host. When the web host's read of the passwords it keeps fails (here its second session exits 1, as
/// a <c>sudo -n</c> that wants a password does), no URL comes back, and setup took that for "no passwords yet": it
/// made new ones and went on to the db host, which would change PostgreSQL's roles while the web hosts keep the old
/// passwords (the app then cannot log in). A failed read must stop setup before any host is changed.
/// The db host here only counts the sessions it is sent and fails each (this test must not set up PostgreSQL here).
/// </summary>
public sealed class SetupUnreadPasswordsAreNotNewPasswordsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd web = null!;
    private TestSshd db = null!;

    private string WebSessions => dir.Combine("web-sessions");

    private string DbSessions => dir.Combine("db-sessions");

    public async Task InitializeAsync()
    {
        var failSecond = dir.Write("fail-second-session.sh", $"""
            #!/bin/bash
            n=$(( $(cat '{WebSessions}' 2>/dev/null || echo 0) + 1 )); echo "$n" > '{WebSessions}'
            if [ "$n" = 2 ]; then echo 'sudo: a password is required' >&2; exit 1; fi
            exec bash -c "$SSH_ORIGINAL_COMMAND"
            """);
        File.SetUnixFileMode(failSecond, (UnixFileMode)0b111_101_101);
        var countOnly = dir.Write("count-session.sh", $"""
            #!/bin/bash
            echo x >> '{DbSessions}'; exit 1
            """);
        File.SetUnixFileMode(countOnly, (UnixFileMode)0b111_101_101);
        web = await TestSshd.StartAsync($"ForceCommand {failSecond}");
        db = await TestSshd.StartAsync($"ForceCommand {countOnly}");
        await File.AppendAllTextAsync(web.KnownHosts, await File.ReadAllTextAsync(db.KnownHosts));
        File.Copy(web.ClientKey + ".pub", db.AuthorizedKeys, overwrite: true);
    }

    public async Task DisposeAsync()
    {
        await web.DisposeAsync();
        await db.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Setup_Stops_Before_The_Db_Host_When_A_Web_Host_Cannot_Be_Read()
    {
        var deployTo = dir.Combine("target");
        Directory.CreateDirectory(Path.Combine(deployTo, "shared"));
        var project = Project.Create(dir, web, "upload: .", $"""
              db: [{db.Address}]
            serve:
              socket: {deployTo}/shared/run/app.sock
              workers: 1
              chdir: {deployTo}/current
              command: exec python3 -m http.server "$PORT"
            setup:
              hoist_path: {dir.Combine("bin", "hoist")}
              service: direct
              database: {"{"} name: app, host: 127.0.0.1 {"}"}
            """, deployTo: deployTo);
        // The db role goes under hosts:, after web.
        var yaml = File.ReadAllText(project.ConfigPath);
        var dbLine = $"  db: [{db.Address}]\n";
        yaml = yaml.Replace(dbLine, "", StringComparison.Ordinal).Replace($"  web: [{web.Address}]\n", $"  web: [{web.Address}]\n{dbLine}", StringComparison.Ordinal);
        dir.Write("hoist.yml", yaml);

        var setup = await project.HoistAsync("setup");
        var dbSessions = File.Exists(DbSessions) ? File.ReadAllLines(DbSessions).Length : 0;
        output.WriteLine($"{setup}\nsessions on the web host: {File.ReadAllText(WebSessions).Trim()}; on the db host: {dbSessions}");

        Assert.Equal(1, setup.ExitCode);
        Assert.Contains("sudo: a password is required", setup.All);
        Assert.Contains("no host was changed", setup.Stderr);
        Assert.Equal(0, dbSessions);
        Assert.False(Directory.Exists(Path.Combine(deployTo, ".hoist", "lock")), "setup left its lock");
    }
}
