namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// hoist run through a real sshd on 127.0.0.1, as root (setpriv) and as a login user with passwordless sudo, to a real
/// app user that owns shared/.env: what a hostile or unlucky user does (an empty stdin, Ctrl-C) against what the host keeps.
/// The release is made by hand (current → releases/r1): hoist run needs only that and the user.
/// </summary>
public sealed class RunSshdTests(ITestOutputHelper output) : SshdTest
{
    private const string Secret = "run-sshd-secret-4f1c9a";

    private OtherUser app = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = await OtherUser.CreateAsync();
        // The app user must reach current and its own .env through the test's private folders.
        File.SetUnixFileMode(Dir.Path, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Dir.Combine("srv", "releases", "r1"));
        Directory.CreateDirectory(Dir.Combine("srv", "shared"));
        File.CreateSymbolicLink(Dir.Combine("srv", "current"), Dir.Combine("srv", "releases", "r1"));
        var env = Dir.Write("srv/shared/.env", $"SECRET_KEY={Secret}\n");
        File.SetUnixFileMode(env, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Run.ShellAsync($"chown {app.Name} {env}");
        Dir.Write("site/index.html", "hi\n");
    }

    public override async Task DisposeAsync()
    {
        await Run.ProcessAsync("pkill", ["-KILL", "-u", app.Name]);
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Run_With_An_Empty_Stdin_Gives_The_Command_Its_End_Of_File()
    {
        WriteConfig("root");

        // Run.ProcessAsync closes hoist's stdin at once: a pipe with nothing in it, as `hoist run -- cat </dev/null`.
        var run = await HoistCli.RunAsync(Dir.Path, new Dictionary<string, string>(), TimeSpan.FromSeconds(90), "run", "--", "cat; echo eof-ok");

        output.WriteLine($"run -- cat (empty stdin): {run}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("eof-ok\n", run.Stdout);
    }

    [Fact]
    public async Task Several_Words_Reach_The_Command_As_Typed_And_One_Word_Is_A_Shell_Line()
    {
        WriteConfig("root");

        // What a user types: hoist run -- python3 -c 'print("a  b", 1)'. A plain join would give the host's shell
        // `python3 -c print("a  b", 1)`, a syntax error.
        var words = await HoistCli.RunAsync(Dir.Path, new Dictionary<string, string>(), TimeSpan.FromSeconds(90),
            "run", "--", "python3", "-c", "import sys; print(sys.argv[1:])", "a  b", "$HOME", "it's", "");
        var line = await HoistCli.RunAsync(Dir.Path, new Dictionary<string, string>(), TimeSpan.FromSeconds(90),
            "run", "--", "echo one | tr o O; echo \"$HOIST_APP\"");

        output.WriteLine($"run -- python3 -c ... (5 words): {words}");
        output.WriteLine($"run -- 'echo one | tr o O; ...' (one word): {line}");
        Assert.True(words.ExitCode == 0, words.ToString());
        Assert.Equal("['a  b', '$HOME', \"it's\", '']\n", words.Stdout);
        Assert.True(line.ExitCode == 0, line.ToString());
        Assert.Equal("One\nrunapp\n", line.Stdout);
    }

    [Fact]
    public async Task Ctrl_C_Without_A_Terminal_Ends_The_Command_On_The_Host()
    {
        WriteConfig("root");

        var (hoist, left) = await InterruptAsync("ctrlc-root");

        Assert.True(hoist.ExitCode == 130, hoist.ToString());
        Assert.Empty(left);
    }

    [Fact]
    public Task A_Login_User_With_Passwordless_Sudo_Runs_As_The_App_User_With_Its_Env() => AsSudoUserAsync(stop: false);

    [Fact]
    public Task Ctrl_C_Through_Sudo_Ends_The_Command_On_The_Host() => AsSudoUserAsync(stop: true);

    private async Task AsSudoUserAsync(bool stop)
    {
        var login = $"hoistrun{Environment.ProcessId % 100000}";
        var sudoers = $"/etc/sudoers.d/{login}";
        try
        {
            // sshd without PAM refuses a locked account (useradd's `!` password): `*` is none, and not locked.
            await Run.ShellAsync($"useradd -m -s /bin/bash -p '*' {login} && echo '{login} ALL=(ALL) NOPASSWD:ALL' > {sudoers} && chmod 440 {sudoers}");
            // sshd reads the shared authorized_keys as the user who logs in.
            File.SetUnixFileMode(Path.GetDirectoryName(Sshd.AuthorizedKeys)!, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Sshd.AuthorizedKeys, (UnixFileMode)0b110_100_100);
            WriteConfig(login);

            var run = await HoistCli.RunAsync(Dir.Path, new Dictionary<string, string>(), TimeSpan.FromSeconds(90), "--verbose", "run", "--",
                "id -un; [ \"run-sshd-${SECRET_KEY#run-sshd-}\" = \"$SECRET_KEY\" ] && [ ${#SECRET_KEY} = " + Secret.Length + " ] && echo env-ok; echo \"$HOIST_APP\"; exit 9");
            output.WriteLine($"run as {login} through sudo: {run}");
            Assert.True(run.ExitCode == 9, run.ToString());
            // --verbose prints the stage script (with no secret in it) before the command's own lines.
            Assert.EndsWith($"\n{app.Name}\nenv-ok\nrunapp\n", run.Stdout, StringComparison.Ordinal);
            Assert.Contains($"sudo -n -u {app.Name} -- bash /tmp/hoist-run.", run.All, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, run.All, StringComparison.Ordinal);
            if (stop)
            {
                var (hoist, left) = await InterruptAsync("ctrlc-sudo");
                Assert.True(hoist.ExitCode == 130, hoist.ToString());
                Assert.Empty(left);
            }
        }
        finally
        {
            File.Delete(sudoers);
            await Run.ProcessAsync("pkill", ["-KILL", "-u", login]);
            await Run.ProcessAsync("userdel", ["-r", login]);
        }
    }

    private void WriteConfig(string login) => Dir.Write("hoist.yml", $"""
        app: runapp
        upload: ./site
        deploy_to: {Dir.Combine("srv")}
        hosts:
          web: [{Sshd.Address}]
        ssh: {"{"} user: {login}, key: {Sshd.ClientKey}, known_hosts: {Sshd.KnownHosts} {"}"}
        setup:
          user: {app.Name}
        """);

    /// <summary>
    /// Starts `hoist run -- sleep` with no terminal, waits (bounded) until the app user's sleep runs, sends hoist SIGINT
    /// as a Ctrl-C does, and returns hoist's result with what of the command still runs on the host 10 s later at most.
    /// </summary>
    private async Task<(RunResult Hoist, List<string> Left)> InterruptAsync(string marker)
    {
        var command = $"sleep 3000 # {marker}";
        var process = Run.Start("dotnet", [HoistCli.Dll, "run", "--", command], Dir.Path, new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = "" });
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (AppProcesses("sleep 3000").Count == 0)
            {
                if (process.HasExited)
                {
                    Assert.Fail($"hoist exited before the command ran: {await stdout}{await stderr}");
                }

                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the command did not start within 60 s");
                await Task.Delay(50);
            }

            await Run.ShellAsync($"kill -INT {process.Id}");
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            var hoist = new RunResult(process.ExitCode, await stdout, await stderr);
            watch.Restart();
            var left = AppProcesses("sleep 3000");
            while (left.Count > 0 && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
                left = AppProcesses("sleep 3000");
            }

            output.WriteLine($"{marker}: hoist {hoist}; left on the host: [{string.Join(", ", left)}]");
            return (hoist, left);
        }
        finally
        {
            await Run.KillAsync(process);
        }
    }

    /// <summary>The app user's processes whose command line contains <paramref name="text"/>.</summary>
    private List<string> AppProcesses(string text) => Directory.GetDirectories("/proc")
        .Where(p => int.TryParse(Path.GetFileName(p), out _))
        .Select(p => (Uid: Uid(p), Args: Args(p)))
        .Where(p => p.Uid == app.Uid && p.Args.Contains(text, StringComparison.Ordinal))
        .Select(p => p.Args)
        .ToList();

    private static int Uid(string proc)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(proc, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line is null ? -1 : int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static string Args(string proc)
    {
        try
        {
            return File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
