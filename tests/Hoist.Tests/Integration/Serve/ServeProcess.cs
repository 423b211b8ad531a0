namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Serve.Control;
using Hoist.Tests.Support;

/// <summary>
/// A real `hoist serve --ini FILE` process (the built executable), and its control socket for status: what
/// `hoist serve --status --json` prints, read without starting a second process for every poll.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private ServeProcess(Process process, string ini, string controlSocket, string? logTo)
    {
        this.process = process;
        Ini = ini;
        ControlSocket = controlSocket;
        LogTo = logTo;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public string Ini { get; }

    public string ControlSocket { get; }

    public string? LogTo { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts hoist serve and waits until <paramref name="ready"/> workers are ready (0: until it answers status).</summary>
    public static async Task<ServeProcess> StartAsync(string ini, string controlSocket, int ready, string? logTo = null)
    {
        var serve = new ServeProcess(HoistCli.Start(Path.GetDirectoryName(ini)!, "serve", "--ini", ini), ini, controlSocket, logTo);
        try
        {
            await serve.WaitForStatusAsync(s => s.Workers.Count(w => w.State == "ready") >= ready, $"{ready} ready worker(s)", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return serve;
    }

    /// <summary>Starts hoist serve with extra environment (NOTIFY_SOCKET, as systemd sets it), waiting for nothing.</summary>
    public static ServeProcess Begin(string ini, string controlSocket, IDictionary<string, string> environment, string? logTo = null) =>
        new(HoistCli.Start(Path.GetDirectoryName(ini)!, environment, "serve", "--ini", ini), ini, controlSocket, logTo);

    public async Task<ServeStatus> StatusAsync()
    {
        var answer = await ControlClient.AskAsync(ControlSocket, "status", TimeSpan.FromSeconds(10));
        return JsonSerializer.Deserialize<ServeStatus>(answer, ControlServer.Json)!;
    }

    /// <summary>Polls the status until <paramref name="condition"/> holds; fails with the last status and the log if it never does.</summary>
    public async Task<ServeStatus> WaitForStatusAsync(Func<ServeStatus, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        ServeStatus? last = null;
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"hoist serve exited ({process.ExitCode}) while waiting for {what}:\n{await OutputAsync()}");
            }

            if (File.Exists(ControlSocket))
            {
                try
                {
                    last = await StatusAsync();
                    if (condition(last))
                    {
                        return last;
                    }
                }
                catch (Hoist.Core.HoistException)
                {
                    // Not answering yet.
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"hoist serve never showed {what}; last status: {Describe(last)}\n{Log()}");
    }

    /// <summary>Sends a signal the way an operator (or systemd) would: kill -SIGNAL PID.</summary>
    public Task SignalAsync(string signal) => KillAsync(signal, Pid);

    public static async Task KillAsync(string signal, int pid)
    {
        var result = await Run.ProcessAsync("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, $"kill -{signal} {pid}: {result}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>`hoist serve --ini FILE ARGS` as a second process, as an operator types it.</summary>
    public Task<RunResult> CliAsync(params string[] args) => HoistCli.RunAsync(Path.GetDirectoryName(Ini)!, ["serve", "--ini", Ini, .. args]);

    public string Log() => LogTo is not null && File.Exists(LogTo) ? "--- log\n" + File.ReadAllText(LogTo) : "";

    public async Task<string> OutputAsync() =>
        process.HasExited ? $"--- stdout\n{await stdout}\n--- stderr\n{await stderr}\n{Log()}" : Log();

    public static string Describe(ServeStatus? status) => status is null
        ? "(none)"
        : $"generation {status.Generation}, reloads {status.Reloads}, last reload {status.LastReload?.Ok}: {status.LastReload?.Message}; " +
          string.Join("; ", status.Workers.Select(w => $"slot {w.Slot} pid {w.Pid} {w.State} g{w.Generation} restarts {w.Restarts} {Path.GetFileName(w.Release)}"));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            _ = Run.ProcessAsync("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }
}
