namespace Hoist.Serve;

using System.Text.Json;
using Hoist.Core;
using Hoist.Serve.Config;
using Hoist.Serve.Control;

/// <summary>
/// <c>hoist serve --stop</c>: asks the running server for a graceful stop and returns only once its process has
/// exited (in-flight requests finished, workers stopped, sockets vacuumed), so that a new server started right after
/// never finds the old one still stopping. Bounded by <see cref="ServeConfig.StopWait"/>, as the systemd unit's stop is.
/// </summary>
internal static class ServeStopper
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <remarks>None running is not a failure: what --stop is for already holds (as `systemctl stop` of a stopped unit).</remarks>
    public static async Task<int> StopAsync(ServeConfig config, TimeProvider clock)
    {
        if (!ControlClient.Exists(config.ControlSocket))
        {
            Console.WriteLine($"{ControlClient.NotRunning(config.SourcePath, config.ControlSocket)}; nothing to stop");
            return 0;
        }

        if (ControlClient.IsStale(config.ControlSocket))
        {
            Console.WriteLine($"no hoist serve is running for {config.SourcePath}: nothing accepts on its control socket {config.ControlSocket}, which a killed server left behind; nothing to stop");
            return 0;
        }

        var status = JsonSerializer.Deserialize(
            await ControlClient.AskAsync(config.ControlSocket, "status", TimeSpan.FromSeconds(10), config.SourcePath, config.PidFile).ConfigureAwait(false), ControlJson.Default.ServeStatus)!;
        await ControlClient.AskAsync(config.ControlSocket, "stop", TimeSpan.FromSeconds(10), config.SourcePath, config.PidFile).ConfigureAwait(false);
        var allowed = config.StopWait;
        var started = clock.GetTimestamp();
        while (Runs(status.Pid))
        {
            if (clock.GetElapsedTime(started) > allowed)
            {
                throw new HoistException(
                    $"hoist serve (pid {status.Pid}, {config.SourcePath}) was asked to stop but still runs after {allowed.TotalSeconds:0} s; " +
                    $"see {config.LogTo ?? "its output"}, and if it hangs, kill -TERM {status.Pid} (or -KILL)");
            }

            await Task.Delay(Poll, clock).ConfigureAwait(false);
        }

        Console.WriteLine($"stopped (pid {status.Pid})");
        return 0;
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    private static bool Runs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
            return stat[(stat.LastIndexOf(')') + 2)..] is not ['Z', ..] and not ['X', ..];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
