namespace Hoist.Remote;

using System.Diagnostics;
using System.Text;
using Hoist.Config;

/// <summary>Runs scripts on the deploying machine with a local bash, as if it were a host.</summary>
internal sealed class LocalConnection(HostConfig host) : IHostConnection
{
    public HostConfig Host => host;

    public async Task<int> RunAsync(string scriptText, Payload? payload, Action<string, bool> onLine, CancellationToken cancel, bool asRoot = false)
    {
        // sudo resets the environment: HOIST_BIN goes through env(1), on the command line (a path, no secret). -n: a sudo
        // that wants a password fails at once ("sudo: a password is required") instead of reading a terminal.
        string[] command = asRoot && Environment.UserName != "root"
            ? ["sudo", "-n", "env", $"HOIST_BIN={Core.SelfCommand.Path}", "bash", "-s"]
            : ["bash", "-s"];
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        };
        // On this machine, commands (reload: "$HOIST_BIN" serve ...) can run the very hoist that deploys.
        start.Environment["HOIST_BIN"] = Core.SelfCommand.Path;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = LineReader.PumpAsync(process.StandardOutput.BaseStream, false, onLine);
        var stderr = LineReader.PumpAsync(process.StandardError.BaseStream, true, onLine);
        await using (cancel.Register(() => Kill(process)))
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            await InputWriter.WriteAsync(process.StandardInput.BaseStream, scriptText, payload, exited, cancel).ConfigureAwait(false);
            await exited.ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }

        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    /// <remarks>The command shares hoist's own stdin, stdout and stderr (its terminal, when they are one).</remarks>
    public async Task<RemoteExit> AttachAsync(string command, AttachIo io, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            UseShellExecute = false,
            WorkingDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        await using (cancel.Register(() => Kill(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        cancel.ThrowIfCancellationRequested();
        // .NET reports a child killed by signal N as 128 + N, as a shell does.
        return new RemoteExit(process.ExitCode, null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
