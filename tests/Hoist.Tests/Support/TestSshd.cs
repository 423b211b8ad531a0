namespace Hoist.Tests.Support;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 with its own port, host key and config, logging every exec channel;
/// with a client key authorized for the current user and a known_hosts file that trusts it.
/// </summary>
public sealed class TestSshd : IAsyncDisposable
{
    private readonly TempDir dir;
    private readonly Process process;

    private TestSshd(TempDir dir, Process process, int port)
    {
        this.dir = dir;
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ClientKey => dir.Combine("client_key");

    public string KnownHosts => dir.Combine("known_hosts");

    /// <summary>The public keys sshd accepts for every user; append to authorize another key.</summary>
    public string AuthorizedKeys => dir.Combine("authorized_keys");

    public string HostKeyPub => dir.Combine("host_key.pub");

    public string LogFile => dir.Combine("sshd.log");

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The home folder of sessions on this server: where its <c>~/</c> paths land.</summary>
    public string Home => dir.Combine("home");

    /// <summary>Two hosts with one known_hosts and one client key (the first's), as a user of both would have them.</summary>
    public static async Task<(TestSshd One, TestSshd Two)> StartPairAsync()
    {
        var (one, two) = (await StartAsync(), await StartAsync());
        await File.AppendAllTextAsync(one.KnownHosts, await File.ReadAllTextAsync(two.KnownHosts));
        File.Copy(one.ClientKey + ".pub", Path.Combine(Path.GetDirectoryName(two.KnownHosts)!, "authorized_keys"), overwrite: true);
        return (one, two);
    }

    /// <param name="settings">sshd_config lines put first, so that they win over the defaults below (sshd takes a keyword's first value).</param>
    public static async Task<TestSshd> StartAsync(params string[] settings)
    {
        var sshd = "/usr/sbin/sshd";
        if (!File.Exists(sshd))
        {
            throw new InvalidOperationException("sshd is not installed: run scripts/install-test-deps (apt-get install openssh-server)");
        }

        var dir = new TempDir("hoist-sshd");
        await Run.ShellAsync(
            $"ssh-keygen -q -t ed25519 -N '' -C hoist-test-host -f {dir.Combine("host_key")} && " +
            $"ssh-keygen -q -t ed25519 -N '' -C hoist-test-client -f {dir.Combine("client_key")} && " +
            $"cp {dir.Combine("client_key.pub")} {dir.Combine("authorized_keys")} && mkdir -p /run/sshd {dir.Combine("home")}");
        // The port is free when chosen but another process may take it before sshd binds it: then sshd says so in
        // its log and exits, and it is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.OnLoopback();
            var config = dir.Write("sshd_config", string.Join('\n', [
                .. settings,
                $"Port {port}",
                "ListenAddress 127.0.0.1",
                $"HostKey {dir.Combine("host_key")}",
                $"PidFile {dir.Combine("sshd.pid")}",
                $"AuthorizedKeysFile {dir.Combine("authorized_keys")}",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                // SHLVL keeps root's ~/.bashrc (pyenv init, ~90 ms) out of every channel (see DESIGN.md); a HOME of
                // its own makes this server a separate host for `~/` paths, though all servers share one file system.
                $"SetEnv SHLVL=1 HOME={dir.Combine("home")}",
                "MaxSessions 50",
                "MaxStartups 50",
                ""]));
            var hostKey = (await File.ReadAllTextAsync(dir.Combine("host_key.pub"))).Split(' ');
            await File.WriteAllTextAsync(dir.Combine("known_hosts"), $"[127.0.0.1]:{port} {hostKey[0]} {hostKey[1]}\n");
            File.Delete(dir.Combine("sshd.log"));
            var process = Run.Start(sshd, ["-D", "-f", config, "-E", dir.Combine("sshd.log")]);
            if (await WaitForPortAsync(port, process))
            {
                return new TestSshd(dir, process, port);
            }

            var log = (File.Exists(dir.Combine("sshd.log")) ? await File.ReadAllTextAsync(dir.Combine("sshd.log")) : "") +
                await process.StandardError.ReadToEndAsync();
            process.Dispose();
            if (attempt == 5 || !log.Contains("Address already in use", StringComparison.Ordinal))
            {
                dir.Dispose();
                throw new InvalidOperationException($"sshd exited (attempt {attempt}, port {port}): {log}");
            }
        }
    }

    /// <summary>How many exec channels ("Starting session: command ...") the server has logged so far.</summary>
    public int ExecChannels() =>
        File.Exists(LogFile) ? File.ReadLines(LogFile).Count(l => l.Contains("Starting session: command", StringComparison.Ordinal)) : 0;

    /// <summary>How many sessions the server has closed so far ("Close session: ..."), as it does when a client is killed.</summary>
    public int ClosedSessions() =>
        File.Exists(LogFile) ? File.ReadLines(LogFile).Count(l => l.Contains("Close session: ", StringComparison.Ordinal)) : 0;

    /// <summary>
    /// Whether a script Hoist ran through this server (a `bash -s`) still runs, even one whose connection is gone and
    /// whose sshd process has exited: it is known by the SSH_CONNECTION sshd gave it, which names this server's port.
    /// </summary>
    public bool RunsScripts() => Directory.GetDirectories("/proc")
        .Where(p => int.TryParse(Path.GetFileName(p), out _))
        .Any(p => Read(p, "cmdline") is ["bash", "-s"] && Read(p, "environ").Any(v => v.StartsWith("SSH_CONNECTION=", StringComparison.Ordinal) && v.EndsWith($" {Port}", StringComparison.Ordinal)));

    /// <summary>
    /// The per-connection sshd processes that run Hoist's scripts here (the parents of its `bash -s`): stopping one
    /// (SIGSTOP) makes the host go silent as a frozen machine does, while the kernel still acknowledges its packets.
    /// </summary>
    public IReadOnlyList<int> SessionProcesses() => Directory.GetDirectories("/proc")
        .Where(p => int.TryParse(Path.GetFileName(p), out _))
        .Where(p => Read(p, "cmdline") is ["bash", "-s"] && Read(p, "environ").Any(v => v.StartsWith("SSH_CONNECTION=", StringComparison.Ordinal) && v.EndsWith($" {Port}", StringComparison.Ordinal)))
        .Select(ParentOf)
        .Where(pid => pid > 0 && Read($"/proc/{pid}", "cmdline") is [var name, ..] && name.StartsWith("sshd", StringComparison.Ordinal))
        .Distinct()
        .ToList();

    /// <summary>
    /// Every per-connection sshd process of this server (the children of its listener, and theirs), whether or not a
    /// script runs on it now: stopping them all makes a connection that is idle between two scripts go silent.
    /// </summary>
    public IReadOnlyList<int> ConnectionProcesses()
    {
        var parents = Directory.GetDirectories("/proc")
            .Select(p => int.TryParse(Path.GetFileName(p), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf($"/proc/{pid}")))
            .ToList();
        var found = new List<int>();
        var next = new Queue<int>([process.Id]);
        while (next.TryDequeue(out var parent))
        {
            foreach (var (pid, _) in parents.Where(p => p.Parent == parent))
            {
                if (Read($"/proc/{pid}", "cmdline") is [var name, ..] && name.StartsWith("sshd", StringComparison.Ordinal))
                {
                    found.Add(pid);
                    next.Enqueue(pid);
                }
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        dir.Dispose();
    }

    /// <summary>A /proc file's NUL-separated parts, or none for a process that is gone.</summary>
    private static string[] Read(string proc, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(proc, file)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static int ParentOf(string proc)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(proc, "status")).FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Waits until sshd listens on its port (true), or has exited (false).</summary>
    private static async Task<bool> WaitForPortAsync(int port, Process process)
    {
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"sshd did not listen on {port}");
    }
}
