namespace Hoist.Tests.Setup;

using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>The unit's shell functions, run by a real bash (systemctl itself only runs on the machine tests).</summary>
public sealed class UnitScriptTests
{
    /// <summary>.env lines EnvFile.Parse reads, which the old awk parser let through: spaces around '=', CRLF, export, quotes after a space.</summary>
    private const string QuirkyEnv =
        "DATABASE_URL=postgresql://app:Abc123pw9@10.0.0.3:5432/mydb\r\n" +
        "SECRET_KEY = spaced-value\r\n" +
        "export API_TOKEN=exported-token\r\n" +
        "  QUOTED = \"s3cr3t value\"\r\n" +
        "SINGLE='single quoted'\r\n" +
        "export export = tricky-name\r\n" +
        "DEBUG=1\r\n" +
        "# note=not-a-value\r\n" +
        "\r\n";

    private const string JournalLines =
        "worker 1: cannot connect to postgresql://app:Abc123pw9@10.0.0.3:5432/mydb\n" +
        "key spaced-value token exported-token quoted s3cr3t value and single quoted, tricky-name, password Abc123pw9, DEBUG=1\n" +
        "other amqp://guest:hunter2@mq, not http://host:8080/a?x=y@z, note not-a-value\n";

    private const string Hidden =
        "worker 1: cannot connect to [REDACTED]\n" +
        "key [REDACTED] token [REDACTED] quoted [REDACTED] and [REDACTED], [REDACTED], password [REDACTED], DEBUG=1\n" +
        "other amqp://guest:[REDACTED]@mq, not http://host:8080/a?x=y@z, note not-a-value\n";

    [Fact]
    public async Task Journal_Lines_Go_Through_The_Hosts_Hoist_Which_Reads_Env_As_EnvFile_Parse_Does()
    {
        using var dir = new TempDir("hoist-unit-script");
        var (ini, env) = WriteIni(dir);
        var hoist = dir.Write("hoist", $"#!/bin/sh\nexec dotnet {Hoist.Shell.ShellQuote.Quote(HoistCli.Dll)} \"$@\"\n");
        File.SetUnixFileMode(hoist, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await HideAsync(hoist, ini, env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Hidden, result.Stdout);
        // The fixture is what the one parser reads: every one of these is a value the fallback must find too.
        Assert.Equal(
            ["exported-token", "postgresql://app:Abc123pw9@10.0.0.3:5432/mydb", "s3cr3t value", "single quoted", "spaced-value", "tricky-name"],
            EnvFileValues(env).Where(v => v.Length >= 4).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("awk")]
    [InlineData("mawk")]
    [InlineData("gawk")]
    [InlineData("original-awk")]
    public async Task Where_Hoist_Cannot_Run_The_Awk_Fallback_Reads_Env_With_The_Same_Rules(string awk)
    {
        // Each awk a Debian host may have (mawk is the default, gawk and the one-true-awk replace it when installed);
        // scripts/install-test-deps installs them all.
        var found = await Run.ProcessAsync("bash", ["-c", $"command -v {awk}"]);
        Assert.True(found.ExitCode == 0, $"{awk} is not installed; run scripts/install-test-deps");

        using var dir = new TempDir("hoist-unit-script-awk");
        var (ini, env) = WriteIni(dir);
        var bin = Directory.CreateDirectory(dir.Combine("bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "awk"), found.Stdout.Trim());

        var result = await HideAsync(dir.Combine("no-such-hoist"), ini, env, bin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Hidden, result.Stdout);
    }

    private static (string Ini, string Env) WriteIni(TempDir dir)
    {
        var env = dir.Write(".env", QuirkyEnv);
        var ini = dir.Write("serve.ini", $"[uwsgi]\nsocket = {dir.Combine("app.sock")}\ncommand = true\nenv-file = {env}\n");
        return (ini, env);
    }

    private static IEnumerable<string> EnvFileValues(string env) => Hoist.Serve.Config.EnvFile.Read(env).Select(e => e.Value);

    private static Task<RunResult> HideAsync(string hoist, string ini, string env, string? pathFirst = null)
    {
        var q = Hoist.Shell.ShellQuote.Quote;
        var path = pathFirst is null ? "" : $"PATH={q(pathFirst)}:$PATH\n";
        var script = $"{path}as_root() {{ \"$@\"; }}\n{UnitScript.Functions}\nprintf '%s' {q(JournalLines)} | hide_env_values {q(hoist)} {q(ini)} {q(env)}\n";
        return Run.ProcessAsync("bash", ["-c", script]);
    }

    [Fact]
    public async Task Deploys_Reload_Command_Is_Valid_Bash_And_Fails_Loudly_Through_Unit_Do()
    {
        var config = TestConfig.Valid("""
            app: myproject
            repo: /srv/repo.git
            deploy_to: /srv/myproject
            hosts: { web: [10.0.0.2] }
            serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
            setup: {}
            """);

        var command = SetupScripts.ReloadCommand(config);
        var syntax = await Run.ProcessAsync("bash", ["-n", "-c", command]);

        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        Assert.EndsWith(
            "if [ -d /run/systemd/system ] && systemctl is-enabled -q myproject.service 2>/dev/null; then unit_do reload-or-restart myproject.service /usr/local/bin/hoist /srv/myproject/shared/serve.ini /srv/myproject/shared/.env; " +
            "else as_app /usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini --daemon; fi", command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Gates_Serve_Commands_Are_Valid_Bash_And_Ask_The_Running_Server_As_The_App_User()
    {
        var config = TestConfig.Valid("""
            app: myproject
            repo: /srv/repo.git
            deploy_to: /srv/myproject
            hosts: { web: [10.0.0.2] }
            serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
            setup: {}
            """);
        const string Args = "/usr/local/bin/hoist /srv/myproject/shared/serve.ini /srv/myproject/shared/.env";
        var wait = (int)config.Serve!.ReloadWait.TotalSeconds; // as long as `hoist serve --revert` waits for its answer
        var hold = SetupScripts.ReloadCommand(config, SetupScripts.HoldFor(config));
        var commit = SetupScripts.CommitCommand(config);
        var revert = SetupScripts.RevertCommand(config);

        foreach (var command in new[] { hold, commit, revert })
        {
            var syntax = await Run.ProcessAsync("bash", ["-n", "-c", command]);
            Assert.True(syntax.ExitCode == 0, syntax.ToString());
        }

        Assert.Equal(TimeSpan.FromSeconds(120), SetupScripts.HoldFor(config)); // health_timeout (60 s by default) + 60 s
        Assert.Equal(TimeSpan.FromSeconds(360), SetupScripts.HoldFor(config, batches: 3)); // the first of 3 batches waits for the other two
        Assert.Equal(TimeSpan.FromDays(1), SetupScripts.HoldFor(config, batches: 1000)); // hoist serve takes no longer hold
        Assert.EndsWith(
            "if [ -d /run/systemd/system ] && systemctl is-enabled -q myproject.service 2>/dev/null; then " +
            $"if as_root systemctl is-active -q myproject.service && as_root test -S /srv/myproject/shared/run/app.sock.ctl; then serve_ask {Args} --reload --hold 120; else unit_do reload-or-restart myproject.service {Args}; fi; " +
            "else as_app /usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini --daemon --hold 120; fi", hold, StringComparison.Ordinal);
        Assert.EndsWith($"serve_quick /srv/myproject/shared/run/app.sock.ctl commit {wait} {Args}", commit, StringComparison.Ordinal);
        Assert.EndsWith(
            $"serve_quick /srv/myproject/shared/run/app.sock.ctl revert {wait} {Args} || {{ echo 'nothing held to put back: reloading onto the previous release' >&2; " +
            $"if [ -d /run/systemd/system ] && systemctl is-enabled -q myproject.service 2>/dev/null; then unit_do reload-or-restart myproject.service {Args}; " +
            "else as_app /usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini --daemon; fi; }", revert, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Ask_Passes_Its_Answer_Through_And_Hides_Env_Values_In_A_Failure_On_Stderr()
    {
        using var dir = new Hoist.Tests.Support.TempDir("hoist-serve-ask");
        var env = dir.Combine(".env");
        File.WriteAllText(env, "SECRET_KEY=hunter2hunter2\n");
        var fake = dir.Combine("hoist");
        // A stand-in for hoist: its second word after --ini tells it what to say; "fail" says the secret and exits 1.
        File.WriteAllText(fake, "#!/bin/sh\n[ \"$4\" = --redact ] && exec false\ncase \"$4\" in fail) echo \"error: it saw hunter2hunter2\"; exit 1;; *) echo \"answered $4 $5 $6\";; esac\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        var q = Hoist.Shell.ShellQuote.Quote;
        var script = $"as_root() {{ \"$@\"; }}; as_app() {{ \"$@\"; }}\n{UnitScript.Functions}\n" +
            $"serve_ask {q(fake)} /x.ini {q(env)} --reload --hold 120; echo \"status $?\"; serve_ask {q(fake)} /x.ini {q(env)} fail; echo \"status $?\"\n";

        var run = await Run.ProcessAsync("bash", ["-c", script]);

        Assert.Equal("answered --reload --hold 120\nstatus 0\nstatus 1\n", run.Stdout);
        Assert.Contains("error: it saw [REDACTED]", run.Stderr);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task Serve_Quick_Sends_The_Command_Over_The_Socket_And_Believes_Only_The_Answer_Else_Asks_Through_Hoist()
    {
        using var dir = new TempDir("hoist-serve-quick");
        var (env, fake) = FakeHoist(dir);
        var control = dir.Combine("app.sock.ctl");
        var got = dir.Combine("got");
        string Ask(string answer) =>
            $"{Listener(control, answer, got)}; serve_quick {Q(control)} revert 30 {Q(fake)} /x.ini {Q(env)}; echo \"status $?\"; wait; rm -f {Q(control)}";
        var script = Prelude + string.Join('\n',
            Ask("{\"ok\": true, \"message\": \"reverted: 2 held worker(s) back in rotation on \\u0027A\\u0027\"}"),
            $"cat {Q(got)}",
            Ask("{\"ok\": false, \"message\": \"nothing is held to revert to, it saw hunter2hunter2\"}"),
            Ask(""),
            $"serve_quick {Q(control)} commit 30 {Q(fake)} /x.ini {Q(env)}; echo \"status $?\"") + "\n";

        var run = await Run.ProcessAsync("bash", ["-c", script]);

        Assert.True(run.ExitCode == 0, run.ToString());
        // Answered ok; then answered not ok (stderr, hidden); then closed unanswered, and no socket: asked through hoist.
        Assert.Equal("reverted: 2 held worker(s) back in rotation on 'A'\nstatus 0\nrevert\nstatus 1\nanswered --revert\nstatus 0\nanswered --commit\nstatus 0\n", run.Stdout);
        Assert.Contains("error: nothing is held to revert to, it saw [REDACTED]", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Quick_Tells_A_Listener_Of_Another_User_Nothing_And_Asks_Through_Hoist()
    {
        using var dir = new TempDir("hoist-serve-quick-impostor");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);
        var (env, fake) = FakeHoist(dir);
        var control = dir.Combine("app.sock.ctl");
        var got = dir.Combine("got");
        await using var other = await OtherUser.CreateAsync();
        // It answers "reverted" to anything; it runs as a user neither root nor the asker (root here).
        other.Start("python3", ["-c", ListenerCode, control, "{\"ok\": true, \"message\": \"reverted (a lie)\"}", got]);
        var script = Prelude + $"until [ -S {Q(control)} ]; do sleep 0.01; done; serve_quick {Q(control)} revert 30 {Q(fake)} /x.ini {Q(env)}; echo \"status $?\"\n";

        var run = await Run.ProcessAsync("timeout", ["30", "bash", "-c", script]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("answered --revert\nstatus 0\n", run.Stdout);
        Assert.False(File.Exists(got) && File.ReadAllText(got).Length > 0, "the listener of another user was told the command");
    }

    private const string Prelude = "as_root() { \"$@\"; }; as_app() { \"$@\"; }\n" + UnitScript.Functions + "\n";

    /// <summary>One connection: what it is sent goes to the file argv[3]; it answers argv[2] (nothing: it closes unanswered).</summary>
    private const string ListenerCode = """
        import os, socket, sys
        path, answer, got = sys.argv[1:4]
        s = socket.socket(socket.AF_UNIX); s.bind(path); os.chmod(path, 0o777); s.listen(1)
        c, _ = s.accept(); data = b""
        while not data.endswith(b"\n"):
            chunk = c.recv(100)
            if not chunk: break
            data += chunk
        open(got, "w").write(data.decode()); c.sendall(answer.encode()); c.close()
        """;

    private static string Q(string value) => Hoist.Shell.ShellQuote.Quote(value);

    /// <summary>A listener on <paramref name="control"/> started in the background, and the wait until it listens.</summary>
    private static string Listener(string control, string answer, string got) =>
        $"python3 -c {Q(ListenerCode)} {Q(control)} {Q(answer)} {Q(got)} & until [ -S {Q(control)} ]; do sleep 0.01; done";

    /// <summary>A .env with a secret, and a stand-in for hoist that says which --COMMAND it was asked.</summary>
    private static (string Env, string Hoist) FakeHoist(TempDir dir)
    {
        var env = dir.Combine(".env");
        File.WriteAllText(env, "SECRET_KEY=hunter2hunter2\n");
        var fake = dir.Combine("hoist");
        File.WriteAllText(fake, "#!/bin/sh\n[ \"$4\" = --redact ] && exec false\necho \"answered $4\"\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        return (env, fake);
    }

    [Fact]
    public void With_A_Tcp_Listeners_Default_Control_Socket_The_Unit_Holds_Nothing_So_Commit_Asks_Nothing_And_Revert_Reloads()
    {
        // The socket is in the unit's private /tmp: the switch reloads through systemctl (no hold), so under the unit the
        // commit must not ask that socket (a false warning on every deploy) and the revert must go straight to the reload.
        var config = TestConfig.Valid("""
            app: myproject
            repo: /srv/repo.git
            deploy_to: /srv/myproject
            hosts: { web: [10.0.0.2] }
            serve: { command: "dotnet App.dll", http_socket: "127.0.0.1:8000", chdir: /srv/myproject/current }
            setup: {}
            """);
        var unit = "if [ -d /run/systemd/system ] && systemctl is-enabled -q myproject.service 2>/dev/null; then ";

        Assert.DoesNotContain("--reload --hold", SetupScripts.ReloadCommand(config, SetupScripts.HoldFor(config)), StringComparison.Ordinal);
        Assert.EndsWith(unit + ":; else serve_ask /usr/local/bin/hoist /srv/myproject/shared/serve.ini /srv/myproject/shared/.env --commit; fi", SetupScripts.CommitCommand(config), StringComparison.Ordinal);
        Assert.Contains(unit + "false; else serve_ask /usr/local/bin/hoist /srv/myproject/shared/serve.ini /srv/myproject/shared/.env --revert; fi || {", SetupScripts.RevertCommand(config), StringComparison.Ordinal);
    }
}
