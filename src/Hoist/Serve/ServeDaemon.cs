namespace Hoist.Serve;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Core;
using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Serve.Files;
using Hoist.Shell;

/// <summary>
/// hoist serve in the background, for hosts without systemd: started detached (its own session, stdio on /dev/null,
/// output to logto) unless one already answers for this config, in which case it is reloaded.
/// </summary>
internal static class ServeDaemon
{
    /// <summary>How much of a server's output that died while starting is shown.</summary>
    private const int StartupLines = 20;

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
        // "$0" and "$1" are the program and the file: passed as arguments, never spliced into the shell text. setsid
        // without -f execs in place (a child of ours leads no process group), so this is the server itself: its exit
        // during start-up, and what it said on stderr, are seen here. Its stderr is a pipe to this process; once this
        // one has gone, what the server still writes there is dropped (EPIPE), as /dev/null did.
        var start = new ProcessStartInfo("sh", ["-c", "exec setsid \"$0\" serve \"$1\" \"$2\" </dev/null >/dev/null", SelfCommand.Path, flag, config.SourcePath])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(config.SourcePath)!,
        };
        using var server = Process.Start(start) ?? throw new HoistException("could not start hoist serve in the background");
        var said = new LineTail(StartupLines);
        server.ErrorDataReceived += (_, line) => said.Add(line.Data);
        server.BeginErrorReadLine();
        var exited = server.WaitForExitAsync();

        var deadline = DateTimeOffset.UtcNow + config.ReadyTimeout + TimeSpan.FromSeconds(10);
        ServeStatus? status = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await Task.WhenAny(exited, Task.Delay(200)).ConfigureAwait(false) == exited)
            {
                await exited.ConfigureAwait(false);
                throw new HoistException(Died(config, server.ExitCode, said.Lines()));
            }

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

    /// <summary>Why the server gave up while starting: its own stderr, else the last lines of its log; env-file values hidden.</summary>
    private static string Died(ServeConfig config, int exitCode, IReadOnlyList<string> stderr)
    {
        var lines = stderr.Count > 0 ? stderr : LastLogLines(config.LogTo);
        SecretRedactor redactor;
        try
        {
            redactor = SecretRedactor.FromEnvFile(config.EnvFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            // An env-file hoist cannot read is likely why the server stopped; URL passwords are still hidden.
            redactor = SecretRedactor.None;
        }

        var said = lines.Count == 0 ? $"it said nothing ({Where(config)})" : "it said:\n" + string.Join("\n", lines.Select(l => "    " + redactor.Redact(l)));
        return $"hoist serve exited with status {exitCode} while starting; {said}";
    }

    private static List<string> LastLogLines(string? logTo)
    {
        try
        {
            return logTo is not null && File.Exists(logTo) ? File.ReadLines(logTo).TakeLast(StartupLines).ToList() : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
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
            return JsonSerializer.Deserialize(answer, ControlJson.Default.ServeStatus);
        }
        catch (HoistException)
        {
            return null;
        }
    }
}
