namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Config;
using Hoist.Serve.Front;
using Hoist.Serve.Logging;
using Hoist.Shell;

/// <summary>Worker processes for real: started by <see cref="WorkerLauncher"/>'s recipe, probed, stopped, their output logged.</summary>
internal sealed class ProcessWorkerRuntime(ServeConfig config, WorkerLauncher launcher, WorkerConnector connector, TimeProvider clock, ServeLog log)
    : IWorkerRuntime
{
    /// <summary>The longest an exited worker's output is waited for, to explain why it never got ready.</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);
    private readonly ReadinessProbe probe = new(connector, config.HealthCheck, config.ReadyTimeout, config.HealthCheckHost);
    private readonly ProcessStopper stopper = new(clock, log);
    private int launches;

    public bool SharesListener => launcher.SharesListener;

    public GenerationRelease Resolve(int generation) => new(generation, launcher.ResolveWorkdir(), launcher.ReadEnvFile());

    public Worker Create(int slot, GenerationRelease release, int recycleAfter)
    {
        var serial = Interlocked.Increment(ref launches);
        var stats = launcher.SharesListener ? launcher.CreateStatsFile(slot, release.Number, serial) : null;
        return new Worker(slot, release.Number, PortAllocator.Next(), launcher.SocketPathFor(slot, release.Number, serial), release.Folder, recycleAfter, stats)
        {
            Secrets = SecretRedactor.For(release.EnvFile.Select(e => e.Value)),
            StartedAt = clock.GetUtcNow(),
            EnvFile = release.EnvFile,
        };
    }

    public void Start(Worker worker, Action<Worker, int?> exited, Action<Worker, string> recycle)
    {
        var process = new Process { StartInfo = launcher.StartInfo(worker, worker.EnvFile), EnableRaisingEvents = true };
        var source = $"worker {worker.Slot}";
        process.OutputDataReceived += (_, e) => OnOutput(worker, source, e.Data, recycle);
        process.ErrorDataReceived += (_, e) => Log(worker, source, e.Data);
        process.Exited += (_, _) => OnExited(worker, exited);
        worker.Process = process;
        try
        {
            File.Delete(worker.UnixPath);
            StartProcess(worker, process);
        }
        catch
        {
            // Nothing of a worker that never ran is left: no route, no files.
            worker.Process = null;
            process.Dispose();
            Forget(worker);
            throw;
        }

        log.Info($"{worker} starting in {worker.Release}");
    }

    public async Task<(bool Ready, string Why)> WaitReadyAsync(Worker worker, CancellationToken cancel)
    {
        var result = await (worker.SharesListener ? probe.WaitForAnnouncementAsync(worker, cancel) : probe.WaitAsync(worker, cancel)).ConfigureAwait(false);
        if (!result.Ready)
        {
            await DrainedAsync(worker).ConfigureAwait(false);
        }

        return result;
    }

    public async Task DrainedAsync(Worker worker)
    {
        if (worker.Process is { HasExited: true } process)
        {
            // Its exit is often seen before its last lines are read from the pipe, and those lines are the why: wait
            // (bounded, should a child it left hold the pipe) until its output reached end of file.
            using var drained = new CancellationTokenSource(OutputDrain, clock);
            try
            {
                await process.WaitForExitAsync(drained.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public bool HasExited(Worker worker)
    {
        try
        {
            return worker.Process is not { HasExited: false };
        }
        catch (InvalidOperationException)
        {
            return true; // Released (disposed): it had exited.
        }
    }

    public long RssBytes(Worker worker) => worker.RssBytes();

    public Task StopAsync(Worker worker, TimeSpan grace, int signal) => stopper.StopAsync(worker, grace, signal);

    public bool IsStopped(Worker worker) => worker.Pid > 0 && !HasExited(worker) && ProcessState.IsStopped(worker.Pid);

    public void Kill(Worker worker) => Native.KillGroup(worker.Pid, Native.SigKill);

    /// <remarks>To the worker's pid only: the rest of its group (what the app started) would take SIGTTOU's default, stop.</remarks>
    public void Pause(Worker worker)
    {
        if (worker.SharesListener)
        {
            Native.Kill(worker.Pid, Native.SigTtou);
        }
    }

    public void Resume(Worker worker)
    {
        if (worker.SharesListener)
        {
            Native.Kill(worker.Pid, Native.SigTtin);
        }
    }

    /// <summary>The one place a worker is forgotten by the runtime: its route and files go.</summary>
    public void Forget(Worker worker)
    {
        connector.Remove(worker);
        try
        {
            File.Delete(worker.UnixPath);
            if (worker.StatsPath is { } stats)
            {
                File.Delete(stats);
            }
        }
        catch (IOException)
        {
        }
    }

    public void Release(Worker worker)
    {
        if (worker.Process is { } process)
        {
            ProcessRelease.AfterDrained(process);
        }
    }

    /// <summary>
    /// The one place a worker's process is started, from hoist serve's one long-lived thread (<see cref="ProcessStarter"/>:
    /// --pdeathsig fires when the forking thread exits); it is routable by name from then on.
    /// </summary>
    private void StartProcess(Worker worker, Process process)
    {
        launcher.Start(process);
        worker.Pid = process.Id;
        connector.Add(worker);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void OnExited(Worker worker, Action<Worker, int?> exited)
    {
        var status = worker.Process?.ExitCode;
        if (!worker.Stopping)
        {
            // The rest of its process group goes too: `sh -c` does not exec its last command, so killing the pid the
            // status shows leaves the app itself running on its port, an orphan nobody stops.
            Native.KillGroup(worker.Pid, Native.SigKill);
        }

        exited(worker, status);
    }

    /// <summary>The worker's stdout: logged, except the notices a worker sharing the socket sends hoist serve.</summary>
    private void OnOutput(Worker worker, string source, string? line, Action<Worker, string> recycle)
    {
        if (line is null || !worker.SharesListener || WorkerNotice.Parse(line, worker.Token) is not { } notice)
        {
            Log(worker, source, line);
            return;
        }

        switch (notice.Kind)
        {
            case WorkerNoticeKind.Ready:
                worker.Announce(null);
                break;
            case WorkerNoticeKind.Unready:
                worker.Announce($"failed its health check: {notice.Detail}");
                break;
            case WorkerNoticeKind.Recycle:
                if (worker.TryMarkForRecycling())
                {
                    recycle(worker, $"served {notice.Detail} requests (max-requests)");
                }

                break;
            case WorkerNoticeKind.Harakiri:
                worker.HarakiriPath = notice.Detail;
                break;
        }
    }

    private void Log(Worker worker, string source, string? line)
    {
        if (line is not null)
        {
            // Kept only until the worker is ready (it explains a start that failed; a serving worker's lines cost nothing
            // more), redacted first: the tail caps long lines, and a capped secret is one no redaction finds afterwards.
            if (worker.ReadyAt is null || worker.KeepsOutput)
            {
                worker.Output.Add(worker.Secrets.Redact(line));
            }

            log.Write(source, line);
        }
    }
}
