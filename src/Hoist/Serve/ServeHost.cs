namespace Hoist.Serve;

using System.Net.Sockets;
using System.Runtime.InteropServices;
using Hoist.Core;
using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Serve.Files;
using Hoist.Serve.Front;
using Hoist.Serve.Logging;
using Hoist.Serve.Workers;

/// <summary>
/// hoist serve for its whole life, one process that never re-executes itself: the listener when workers share it,
/// the workers, the front, the control socket and the reload triggers; on SIGTERM, stop accepting, drain, stop
/// workers, vacuum. Under systemd (<c>$NOTIFY_SOCKET</c>) it tells the unit when it is ready, reloading and stopping.
/// </summary>
/// <remarks>
/// Under systemd a first-generation worker that never becomes ready (it exits, fails its health check, or passes
/// ready-timeout) ends hoist serve with status 1 and the reason (and the worker's last lines) on stderr, before any
/// READY=1: `systemctl start` then fails at once with the reason in the journal, rather than a unit that is "active"
/// while it answers 503 (or one that hangs until TimeoutStartSec), and Restart= decides whether to try again. Outside
/// systemd nothing waits on the start, so such a slot is retried with backoff while the front answers 503, as ever.
/// Workers that die after they were ready are restarted with backoff either way.
/// </remarks>
internal sealed class ServeHost(ServeConfig config, TimeProvider clock)
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(2);

    public async Task<int> RunAsync(CancellationToken stopSignal)
    {
        // Before the listener is bound: a refused pidfile must not leave a socket behind.
        OwnFile.Check(config.PidFile, "pidfile");
        EnsureListenerFree();
        using var log = new ServeLog(config.LogTo, config.LogMaxBytes);
        using var systemd = SystemdNotifier.FromEnvironment(clock, log);
        var runtime = Directory.CreateTempSubdirectory("hoist-serve-").FullName;
        using var connector = new WorkerConnector();
        // Disposed when RunAsync ends, after the supervisor stopped every worker; if RunAsync fails instead, the thread's
        // end sends the workers their parent-death SIGTERM.
        using var starter = new ProcessStarter();
        var launcher = new WorkerLauncher(config, runtime, starter);
        launcher.Validate();
        var supervisor = new Supervisor(config, new ProcessWorkerRuntime(config, launcher, connector, clock, log), log, clock);
        // A reload asked for before the first READY=1 (a SIGHUP during start-up) must not report the unit ready early.
        var ready = false;
        supervisor.Reloading += what =>
        {
            if (Volatile.Read(ref ready))
            {
                systemd.Reloading(what);
            }
        };
        supervisor.Reloaded += outcome =>
        {
            if (Volatile.Read(ref ready))
            {
                systemd.Ready(outcome.Message);
            }

            // A reload leaves the old generation's state (processes, buffers, connection pools) as garbage, and the
            // workstation GC lets garbage reach gen0's budget before it collects: sized from the L3 cache, that is
            // ~80 MiB on a host with 260 MiB of L3 (measured: RSS 93 -> 172 MiB, climbing for 600 reloads, then flat;
            // DOTNET_GCgen0size would cap it, but only as an environment variable). One collection per reload (a few
            // ms; reloads are rare) keeps RSS at what is live: 95.0 -> 95.1 MiB over 1 000 reloads.
            GC.Collect();
        };
        IFront front = launcher.SharesListener ? new SharedSocketFront(config, supervisor) : new ProxyFront(config, supervisor, connector, log);
        launcher.ListenFd = front.Open();
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onSignal = stopSignal.Register(() => stop.TrySetResult());
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            _ = supervisor.RequestReload("SIGHUP");
        });

        WritePidFile();
        log.Info($"hoist serve (pid {Environment.ProcessId}) starting {config.Workers} worker(s) for {config.Listen}");
        systemd.Status($"starting {config.Workers} worker(s)");
        var failed = await supervisor.StartAsync(failFast: systemd.Enabled).ConfigureAwait(false);
        if (systemd.Enabled && failed.Count > 0)
        {
            var why = $"hoist serve did not start: {failed.Count} of {config.Workers} worker(s) never became ready:\n" + string.Join("\n", failed);
            log.Info(why);
            systemd.Stopping("failed: " + failed[0].Split('\n')[0]);
            await supervisor.StopAsync().ConfigureAwait(false);
            await front.DisposeAsync().ConfigureAwait(false);
            Vacuum(runtime);
            throw new HoistException($"{why}\nfix the app (or its serve settings in {config.SourcePath}), then start it again");
        }

        await front.StartAsync().ConfigureAwait(false);

        var status = new StatusBuilder(config, supervisor);
        await using var control = new ControlServer(config.ControlSocket, async (command, cancel) => command switch
        {
            "status" => status.Build(),
            "reload" => await supervisor.RequestReload("control socket").WaitAsync(cancel).ConfigureAwait(false),
            _ when ControlCommand.Hold(command) is { } hold => await supervisor.RequestReload("control socket, with a hold", hold).WaitAsync(cancel).ConfigureAwait(false),
            _ when ControlCommand.Refusal(command) is { } refusal => new HoldOutcome(false, refusal),
            "commit" => await supervisor.CommitAsync().WaitAsync(cancel).ConfigureAwait(false),
            "revert" => await supervisor.RevertAsync().WaitAsync(cancel).ConfigureAwait(false),
            "stop" => Stopping(stop),
            _ => new HoldOutcome(false, $"unknown command '{command}'; use status, reload, reload hold=SECONDS (1 to {ControlCommand.MaxHoldSeconds}), commit, revert or stop"),
        }, log);
        control.Start();
        using var background = new CancellationTokenSource();
        var watchers = Task.WhenAll(
            new TouchReload(config.TouchReload, () => supervisor.RequestReload($"{config.TouchReload} touched")).RunAsync(background.Token),
            SampleAsync(supervisor, background.Token));
        log.Info($"listening on {config.Listen}; control socket {config.ControlSocket}");
        // Only now: the socket accepts, every worker answers, and ExecReload's control socket is there.
        systemd.Ready($"{config.Workers} worker(s) ready on {config.Listen}");
        Volatile.Write(ref ready, true);

        await stop.Task.ConfigureAwait(false);
        systemd.Stopping("stopping: in-flight requests finish");
        log.Info("stopping: no new connections; in-flight requests finish");
        using (var mercy = new CancellationTokenSource(config.Mercy))
        {
            await front.StopAsync(mercy.Token).ConfigureAwait(false);
        }

        await background.CancelAsync().ConfigureAwait(false);
        await watchers.ConfigureAwait(false);
        await supervisor.StopAsync().ConfigureAwait(false);
        await front.DisposeAsync().ConfigureAwait(false);
        Vacuum(runtime);
        log.Info("stopped");
        return 0;
    }

    private static object Stopping(TaskCompletionSource stop)
    {
        stop.TrySetResult();
        return new HoldOutcome(true, "stopping");
    }

    private static async Task SampleAsync(Supervisor supervisor, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(SamplePeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                supervisor.Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A socket file left by a killed server is removed; one that still answers means another server runs.</summary>
    private void EnsureListenerFree()
    {
        if (config.Listen is not UnixListen unix || !File.Exists(unix.Path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(unix.Path));
            throw new HoistException($"another server is already listening on {unix.Path}; stop it first, or reload it with `hoist serve --reload`");
        }
        catch (SocketException)
        {
            File.Delete(unix.Path);
        }
    }

    private void WritePidFile()
    {
        if (config.PidFile is { } pidFile)
        {
            OwnFile.Replace(pidFile, "pidfile", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        }
    }

    /// <summary>With vacuum, the socket and pidfile go; the control socket and worker sockets always do.</summary>
    private void Vacuum(string runtime)
    {
        Directory.Delete(runtime, recursive: true);
        if (!config.Vacuum)
        {
            return;
        }

        if (config.Listen is UnixListen unix)
        {
            File.Delete(unix.Path);
        }

        if (config.PidFile is { } pidFile)
        {
            OwnFile.DeleteIfOwn(pidFile);
        }
    }
}
