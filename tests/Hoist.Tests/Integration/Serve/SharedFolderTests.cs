namespace Hoist.Tests.Integration.Serve;

using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// hoist serve's files in a folder another user may write to (sticky and world-writable, as /tmp and /var/tmp are):
/// that user's links and files at the pidfile and logto paths, and a fake control socket, planted as that user
/// (a throwaway one), against root's `hoist serve`. Refused with a clear error; nothing overwritten; nothing trusted.
/// </summary>
public sealed class SharedFolderTests(ITestOutputHelper output)
{
    private const string Precious = "precious, not hoist's\n";

    [Theory]
    [InlineData("pidfile", true)]
    [InlineData("logto", true)]
    [InlineData("pidfile", false)]
    [InlineData("logto", false)]
    public async Task Link_Or_File_Of_Another_User_At_Pidfile_Or_Logto_Is_Refused_And_Nothing_Is_Overwritten(string key, bool link)
    {
        using var dir = new TempDir("hoist-serve-shared");
        await using var mallory = await OtherUser.CreateAsync();
        var shared = SharedFolder(dir);
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer,
            $"pidfile = {shared}/serve.pid", $"logto = {shared}/serve.log", "worker-reload-mercy = 1");
        var planted = $"{shared}/serve.{(key == "pidfile" ? "pid" : "log")}";
        // What the link points at: a file of root's that the server must never write.
        var victim = dir.Write("victim", Precious);
        if (link)
        {
            await mallory.RunAsync("ln", "-s", victim, planted);
        }
        else
        {
            await mallory.RunAsync("cp", victim, planted);
        }

        var mine = link ? victim : planted;
        try
        {
            var daemon = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--daemon");
            var afterDaemon = File.ReadAllText(mine);
            var foreground = await Run.ProcessAsync("dotnet", [HoistCli.Dll, "serve", "--ini", ini], dir.Path, timeout: TimeSpan.FromSeconds(60));
            var afterForeground = File.ReadAllText(mine);

            output.WriteLine($"{key} {(link ? "link to a file of root's" : $"file of {mallory.Name}'s")} at {planted}");
            output.WriteLine($"--daemon: {daemon}\n{(link ? "link target" : "their file")} after --daemon: {Unchanged(afterDaemon)}");
            output.WriteLine($"foreground: {foreground}\nafter foreground: {Unchanged(afterForeground)}; app socket exists: {File.Exists(socket)}");
            Assert.Equal(Precious, afterDaemon);
            Assert.Equal(Precious, afterForeground);
            foreach (var run in (RunResult[])[daemon, foreground])
            {
                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"error: {key} {planted} ", run.Stderr, StringComparison.Ordinal);
                Assert.Contains(link ? "is a symbolic link" : $"belongs to {mallory.Name}", run.Stderr, StringComparison.Ordinal);
                Assert.Contains(mallory.Name, run.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("started in the background", run.Stdout, StringComparison.Ordinal);
            }

            Assert.False(File.Exists(socket), "a server started after all");
        }
        finally
        {
            await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
        }
    }

    [Fact]
    public async Task Link_Of_Another_User_In_The_Folder_Part_Of_Pidfile_And_Logto_Is_Refused_And_The_Victim_Folder_Is_Untouched()
    {
        // The attacker's drill: STICKY/atk-shared -> a folder of root's holding root's own serve.pid and serve.log.
        using var dir = new TempDir("hoist-serve-folderlink");
        await using var mallory = await OtherUser.CreateAsync();
        var shared = SharedFolder(dir);
        var victim = Directory.CreateDirectory(dir.Combine("victim")).FullName;
        var victimPid = dir.Write("victim/serve.pid", Precious);
        var victimLog = dir.Write("victim/serve.log", Precious);
        var link = $"{shared}/atk-shared";
        await mallory.RunAsync("ln", "-s", victim, link);
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer,
            $"pidfile = {link}/serve.pid", $"logto = {link}/serve.log", "vacuum = true", "worker-reload-mercy = 1");
        try
        {
            var daemon = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--daemon");
            var stop = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
            var pidAfter = File.Exists(victimPid) ? Unchanged(File.ReadAllText(victimPid)) : "DELETED";
            var logAfter = File.Exists(victimLog) ? Unchanged(File.ReadAllText(victimLog)) : "DELETED";

            output.WriteLine($"{mallory.Name}'s link {link} -> {victim} (root's), pidfile and logto under it");
            output.WriteLine($"--daemon: {daemon}\n--stop: {stop}\nvictim serve.pid: {pidAfter}; victim serve.log: {logAfter}; app socket exists: {File.Exists(socket)}");
            Assert.Equal(1, daemon.ExitCode);
            Assert.Contains($"error: pidfile {link}/serve.pid ", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains($"goes through {link}, a symbolic link (to {victim}, made by {mallory.Name}", daemon.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("started in the background", daemon.Stdout, StringComparison.Ordinal);
            Assert.Equal("unchanged", pidAfter);
            Assert.Equal("unchanged", logAfter);
            Assert.False(File.Exists(socket), "a server started after all");
        }
        finally
        {
            await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
        }
    }

    [Fact]
    public async Task Vacuum_On_Stop_Deletes_Nothing_Through_A_Link_Planted_In_The_Folder_Part_While_It_Ran()
    {
        // The pidfile's folder is the other user's (allowed: the file is root's, in a folder that is not sticky); while
        // the server runs they swap that folder for a link to a folder of root's holding a serve.pid of root's.
        using var dir = new TempDir("hoist-serve-vacuumlink");
        await using var mallory = await OtherUser.CreateAsync();
        var shared = SharedFolder(dir);
        var theirs = $"{shared}/atk-run";
        await mallory.RunAsync("mkdir", "-m", "777", theirs);
        var victim = Directory.CreateDirectory(dir.Combine("victim")).FullName;
        var victimPid = dir.Write("victim/serve.pid", Precious);
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer, $"pidfile = {theirs}/serve.pid", "vacuum = true", "worker-reload-mercy = 1");
        try
        {
            var daemon = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--daemon");
            Assert.True(daemon.ExitCode == 0, daemon.ToString());
            await mallory.RunAsync("mv", theirs, $"{theirs}.old");
            await mallory.RunAsync("ln", "-s", victim, theirs);
            var stop = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
            await WaitForAsync(() => !File.Exists(socket), "the server gone after --stop");
            var pidAfter = File.Exists(victimPid) ? Unchanged(File.ReadAllText(victimPid)) : "DELETED";

            output.WriteLine($"--daemon: {daemon}\n{mallory.Name}: {theirs} -> {victim} (root's)\n--stop: {stop}\nvictim serve.pid after --stop with vacuum: {pidAfter}");
            Assert.Equal("unchanged", pidAfter);
        }
        finally
        {
            await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
        }
    }

    [Fact]
    public async Task Link_Of_Roots_In_A_Folder_Of_Roots_Is_Followed_As_Var_Run_Is()
    {
        using var dir = new TempDir("hoist-serve-rootlink");
        ServeApps.OpenForNginx(dir);
        var real = Directory.CreateDirectory(dir.Combine("real-run")).FullName;
        var link = dir.Combine("var-run");
        File.CreateSymbolicLink(link, real);
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer,
            $"pidfile = {link}/serve.pid", $"logto = {link}/serve.log", "vacuum = true", "worker-reload-mercy = 1");
        try
        {
            var daemon = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--daemon");
            var pid = File.Exists($"{real}/serve.pid") ? File.ReadAllText($"{real}/serve.pid").Trim() : "none";
            var logged = File.Exists($"{real}/serve.log") ? new FileInfo($"{real}/serve.log").Length : -1;
            var stop = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
            await WaitForAsync(() => !File.Exists(socket) && !File.Exists($"{real}/serve.pid"), "the server and its pidfile gone after --stop");

            output.WriteLine($"root's link {link} -> {real}\n--daemon: {daemon}\npid written: {pid}; log bytes: {logged}\n--stop: {stop}");
            Assert.True(daemon.ExitCode == 0, daemon.ToString());
            Assert.Matches("^[0-9]+$", pid);
            Assert.True(logged > 0, "nothing logged through root's link");
        }
        finally
        {
            await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
        }
    }

    [Fact]
    public async Task Impostor_Control_Socket_Of_Another_User_Is_Not_Trusted_By_Daemon_Status_Reload_Or_Stop()
    {
        using var dir = new TempDir("hoist-serve-impostor");
        await using var mallory = await OtherUser.CreateAsync();
        var shared = SharedFolder(dir);
        var control = $"{shared}/app.ctl";
        var seen = $"{shared}/seen";
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer, $"control-socket = {control}", "worker-reload-mercy = 1");
        mallory.Start("/usr/bin/python3", Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "impostor_control.py"), control, seen);
        await WaitForAsync(() => File.Exists(control), $"{mallory.Name}'s socket at {control}");
        Task<RunResult> Serve(string verb) => HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, verb);
        try
        {
            var runs = new List<(string Verb, RunResult Result)>();
            foreach (var verb in (string[])["--daemon", "--status", "--reload", "--stop"])
            {
                runs.Add((verb, await Serve(verb)));
            }

            var told = File.Exists(seen) ? File.ReadAllLines(seen).Where(l => l.Length > 0).ToList() : [];
            foreach (var (verb, result) in runs)
            {
                output.WriteLine($"{verb}: {result}");
            }

            output.WriteLine($"commands the impostor was told: [{string.Join(", ", told)}]; a real server started: {File.Exists(socket)}");
            Assert.All(runs, run =>
            {
                Assert.True(run.Result.ExitCode == 1, $"{run.Verb}: {run.Result}");
                Assert.Contains($"error: the control socket {control} is not this server's", run.Result.Stderr, StringComparison.Ordinal);
                Assert.Contains(mallory.Name, run.Result.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("reloaded", run.Result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("stopped", run.Result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("started in the background", run.Result.Stdout, StringComparison.Ordinal);
            });
            Assert.Empty(told);
            Assert.False(File.Exists(socket), "a server started beside the impostor");
        }
        finally
        {
            await Run.ProcessAsync("sh", ["-c", $"rm -f '{control}' && exec dotnet '{HoistCli.Dll}' serve --ini '{ini}' --stop"], dir.Path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_Of_Another_User_Is_Trusted_By_Root_Only_As_The_Pid_In_Its_Own_Pidfile_Outside_A_Shared_Folder(bool pidfileShared)
    {
        // Root asking the app user's server (hoist serve --status run by root, the server by the app's user): the
        // process on the socket is that user's, and its pidfile, a file of that user's, names it.
        using var dir = new TempDir("hoist-serve-peer");
        await using var app = await OtherUser.CreateAsync();
        var shared = SharedFolder(dir);
        var own = Directory.CreateDirectory(dir.Combine("run")).FullName;
        await Run.ShellAsync($"chown {app.Name} '{own}'");
        var control = $"{own}/app.ctl";
        var pidFile = $"{(pidfileShared ? shared : own)}/serve.pid";
        var (ini, _) = CommandIni.Write(dir, 1, CommandIni.HttpServer, $"control-socket = {control}", $"pidfile = {pidFile}");
        app.Start("/usr/bin/python3", Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "impostor_control.py"), control, $"{own}/seen", pidFile);
        await WaitForAsync(() => File.Exists(control) && File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), $"{app.Name}'s socket and pidfile");

        var status = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--status");

        output.WriteLine($"pidfile in {(pidfileShared ? "a sticky shared folder" : $"{app.Name}'s own folder")}: --status: {status}");
        if (pidfileShared)
        {
            Assert.Equal(1, status.ExitCode);
            Assert.Contains($"error: the control socket {control} is not this server's", status.Stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("hoist serve pid 4194000", status.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tcp_Listener_Keeps_Its_Default_Control_Socket_In_A_Folder_Only_Its_User_May_Enter()
    {
        using var dir = new TempDir("hoist-serve-tcpctl");
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var ini = dir.Write("serve.ini", $"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nprocesses = 1\nchdir = {dir.Path}\ncommand = {CommandIni.HttpServer}\n");
        var control = ControlFolder.DefaultSocket(port);
        await using var serve = await ServeProcess.StartAsync(ini, control, ready: 1);

        var status = await serve.CliAsync("--status");
        var folder = Path.GetDirectoryName(control)!;
        var mode = File.GetUnixFileMode(folder);
        output.WriteLine($"control socket {control}; folder mode {Convert.ToString((int)mode, 8)}; --status: {status}");
        Assert.DoesNotContain("/tmp/hoist-serve-", control, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"on 127.0.0.1:{port}", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_Of_A_User_Whose_Control_Folder_Another_User_Made_Fails_Fast_Saying_Whose_Folder_It_Is()
    {
        using var dir = new TempDir("hoist-serve-squatted");
        // Two throwaway users: one runs hoist serve, the other made its /tmp/hoist-UID first. No uid the system uses is touched.
        await using var server = await OtherUser.CreateAsync();
        await using var squatter = await OtherUser.CreateAsync();
        var folder = $"/tmp/hoist-{server.Uid}";
        await squatter.RunAsync("mkdir", "-m", "700", folder);
        try
        {
            int port;
            using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            }

            var ini = dir.Write("serve.ini", $"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nprocesses = 1\nchdir = {dir.Path}\ncommand = {CommandIni.HttpServer}\nlogto = {dir.Combine("serve.log")}\n");
            await Run.ShellAsync($"chown -R {server.Name} '{dir.Path}'");

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var daemon = await Run.ProcessAsync("runuser",
                ["-u", server.Name, "--", "env", $"HOME={dir.Path}", "NO_COLOR=1", "DOTNET_NOLOGO=1", "dotnet", HoistCli.Dll, "serve", "--ini", ini, "--daemon"],
                dir.Path, timeout: TimeSpan.FromSeconds(150));
            output.WriteLine($"--daemon as {server.Name} (uid {server.Uid}), {folder} made by {squatter.Name}: exit {daemon.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s\n{daemon}");

            Assert.NotEqual(0, daemon.ExitCode);
            Assert.Contains($"the control socket's folder {folder} must be a folder of {server.Name}", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains($"folder of {squatter.Name}", daemon.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("did not come up", daemon.Stderr, StringComparison.Ordinal);
            // The first error is the one shown: not the failed removal of a socket it never made, nor a log already closed.
            Assert.DoesNotContain("Access to the path", daemon.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", daemon.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A sticky folder anyone may write to, as /tmp, inside the test's folder (made traversable for the other user).</summary>
    private static string SharedFolder(TempDir dir)
    {
        ServeApps.OpenForNginx(dir);
        var shared = dir.Combine("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        return shared;
    }

    private static string Unchanged(string text) => text == Precious ? "unchanged" : $"WRITTEN TO (now {text.Length} bytes, line 1: {text.Split('\n')[0]})";

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"never saw {what}");
            await Task.Delay(20);
        }
    }
}
