namespace Hoist.Serve;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Core;
using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Serve.Files;

/// <summary>
/// hoist serve in the background, for hosts without systemd: started detached (its own session, stdio on /dev/null,
/// output to logto) unless one already answers for this config, in which case it is reloaded.
/// </summary>
internal static class ServeDaemon
{
    public static async Task<int> StartOrReloadAsync(ServeConfig config, Func<Task<int>> reload)
    {
        // Said here, in the foreground: the background server's own refusal would go to a log it may not open.
        OwnFile.Check(config.PidFile, "pidfile");
        OwnFile.Check(config.LogTo, "logto");
        if (ControlClient.Exists(config.ControlSocket) && ControlClient.Impostor(config.ControlSocket, config.PidFile) is { } impostor)
        {
            throw new HoistException(impostor);
        }

        if (await AnswersAsync(config).ConfigureAwait(false))
        {
            return await reload().ConfigureAwait(false);
        }

        var flag = config.SourcePath.EndsWith(".ini", StringComparison.OrdinalIgnoreCase) ? "--ini" : "--config";
        // "$0" and "$1" are the program and the file: passed as arguments, never spliced into the shell text.
        var start = new ProcessStartInfo("sh", ["-c", "exec setsid -f \"$0\" serve \"$1\" \"$2\" </dev/null >/dev/null 2>&1", SelfCommand.Path, flag, config.SourcePath])
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(config.SourcePath)!,
        };
        using (var launcher = Process.Start(start) ?? throw new HoistException("could not start hoist serve in the background"))
        {
            await launcher.WaitForExitAsync().ConfigureAwait(false);
        }

        var deadline = DateTimeOffset.UtcNow + config.ReadyTimeout + TimeSpan.FromSeconds(10);
        ServeStatus? status = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200).ConfigureAwait(false);
            status = await TryStatusAsync(config).ConfigureAwait(false);
            if (status is not null && status.Workers.Count(w => w.State == "ready") >= config.Workers)
            {
                Console.WriteLine($"hoist serve started in the background (pid {status.Pid}) on {status.Listen} with {config.Workers} worker(s)");
                return 0;
            }

            if (status is not null && FailedSlots(status, config.Workers) is { Count: > 0 } failed)
            {
                // Every slot not ready has had its start fail: more waiting only watches the backoff, so say why now.
                throw new HoistException($"hoist serve runs (pid {status.Pid}) but {status.Workers.Count(w => w.State == "ready")} of {config.Workers} worker(s) are ready; " +
                    $"it retries them with backoff ({Where(config)}):\n" + string.Join("\n", failed));
            }
        }

        var where = Where(config);
        throw new HoistException(status is null
            ? $"hoist serve did not come up within {(config.ReadyTimeout + TimeSpan.FromSeconds(10)).TotalSeconds:0} s; {where}"
            : $"hoist serve runs (pid {status.Pid}) but only {status.Workers.Count(w => w.State == "ready")} of {config.Workers} worker(s) are ready; {where}");
    }

    private static string Where(ServeConfig config) => config.LogTo is null ? "set logto to keep its output" : $"see {config.LogTo}";

    /// <summary>"worker N why" for each slot without a ready worker, once every such slot's start has failed at least once; else none.</summary>
    private static List<string> FailedSlots(ServeStatus status, int workers)
    {
        var failed = new List<string>();
        for (var slot = 1; slot <= workers; slot++)
        {
            var reports = status.Workers.Where(w => w.Slot == slot).ToList();
            if (reports.Any(w => w.State == "ready"))
            {
                continue;
            }

            if (reports.Select(w => w.Failure).FirstOrDefault(f => f is not null) is not { } failure)
            {
                return [];
            }

            failed.Add($"worker {slot} {failure}");
        }

        return failed;
    }

    private static async Task<bool> AnswersAsync(ServeConfig config) => await TryStatusAsync(config).ConfigureAwait(false) is not null;

    private static async Task<ServeStatus?> TryStatusAsync(ServeConfig config)
    {
        if (!File.Exists(config.ControlSocket))
        {
            return null;
        }

        try
        {
            var answer = await ControlClient.AskAsync(config.ControlSocket, "status", TimeSpan.FromSeconds(5), pidFile: config.PidFile).ConfigureAwait(false);
            return JsonSerializer.Deserialize<ServeStatus>(answer, ControlServer.Json);
        }
        catch (HoistException)
        {
            return null;
        }
    }
}
