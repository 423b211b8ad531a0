namespace Hoist.Remote;

using Hoist.Config;
using Hoist.Core;
using Hoist.Output;
using Hoist.Shell;

/// <summary>Open connections to a set of hosts, one each for the whole run, and scripts run on all of them in parallel.</summary>
internal sealed class Fleet : IAsyncDisposable
{
    /// <summary>The exit status given to a script whose connection failed, as ssh(1) does.</summary>
    public const int ConnectionLost = 255;

    private readonly IReadOnlyList<IHostConnection> connections;
    private readonly IReporter reporter;
    private readonly int parallel;
    private readonly HashSet<string> silent = [];

    private Fleet(IReadOnlyList<IHostConnection> connections, IReporter reporter, int parallel) =>
        (this.connections, this.reporter, this.parallel) = (connections, reporter, parallel);

    public IReadOnlyList<HostConfig> Hosts => connections.Select(c => c.Host).ToList();

    /// <summary>
    /// Connects to every host (<paramref name="parallel"/> at a time, 0: all at once); if any cannot be reached or
    /// trusted, none is used. Scripts then run on as many hosts at a time.
    /// </summary>
    public static async Task<Fleet> ConnectAsync(
        IReadOnlyList<HostConfig> hosts, SshConfig ssh, HostKeyPolicy policy, IReporter reporter, int parallel, CancellationToken cancel)
    {
        using var gate = new SemaphoreSlim(parallel > 0 ? parallel : Math.Max(1, hosts.Count));
        var attempts = hosts.Select(h => GatedAsync(gate, () => ConnectOneAsync(h, ssh, policy, cancel), cancel)).ToList();
        try
        {
            await Task.WhenAll(attempts).ConfigureAwait(false);
        }
        catch (Exception) when (attempts.Any(a => a.IsCompletedSuccessfully))
        {
            foreach (var opened in attempts.Where(a => a.IsCompletedSuccessfully))
            {
                await opened.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Every attempt failed; reported below.
        }

        var failures = attempts.Where(a => !a.IsCompletedSuccessfully).Select(a => a.Exception?.InnerException).ToList();
        cancel.ThrowIfCancellationRequested();
        if (failures.Count > 0)
        {
            throw Combine(failures);
        }

        return new Fleet(attempts.Select(a => a.Result).ToList(), reporter, parallel);
    }

    /// <summary>
    /// Runs one script per host (all hosts at once, or as many as the fleet's parallel limit), streaming output to the reporter unless <paramref name="quiet"/>;
    /// a host whose script is null is left out (and has no run).
    /// </summary>
    /// <param name="stopOnFailure">When one host's script fails, the others still running are stopped (their runs say
    /// <see cref="HostRun.Stopped"/>) and the ones not begun are not begun: a phase already lost does not wait for the
    /// slowest host. The caller's cleanup stops what those scripts left running on the hosts.</param>
    public async Task<IReadOnlyList<HostRun>> RunAsync(
        Func<HostConfig, Script?> scriptFor, Func<HostConfig, Stream?>? payloadFor, bool quiet, CancellationToken cancel, bool stopOnFailure = false)
    {
        var work = connections
            .Select(c => (Connection: c, Script: scriptFor(c.Host)))
            .Where(p => p.Script is not null)
            .ToList();
        using var gate = new SemaphoreSlim(parallel > 0 ? parallel : Math.Max(1, work.Count));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = stopOnFailure ? failed.Token : cancel;
        async Task<HostRun> OneAsync(IHostConnection connection, Script script)
        {
            try
            {
                var run = await GatedAsync(gate, () => RunOneAsync(connection, script, payloadFor, quiet, token), token).ConfigureAwait(false);
                if (stopOnFailure && !run.Ok)
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                }

                return run;
            }
            catch (OperationCanceledException) when (stopOnFailure && failed.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                return new HostRun(connection.Host, StoppedExit, [], []) { Stopped = true };
            }
        }

        return await Task.WhenAll(work.Select(p => OneAsync(p.Connection, p.Script!))).ConfigureAwait(false);
    }

    /// <summary>Runs one command on one of the fleet's hosts attached to hoist's own streams (<see cref="IHostConnection.AttachAsync"/>).</summary>
    public Task<RemoteExit> AttachAsync(HostConfig host, string command, AttachIo io, CancellationToken cancel) =>
        connections.Single(c => c.Host.Key == host.Key).AttachAsync(command, io, cancel);

    /// <summary>The exit code of a run hoist stopped because another host failed (no script's own).</summary>
    public const int StoppedExit = 254;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<T> GatedAsync<T>(SemaphoreSlim gate, Func<Task<T>> work, CancellationToken cancel)
    {
        await gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<HostRun> RunOneAsync(IHostConnection connection, Script script, Func<HostConfig, Stream?>? payloadFor, bool quiet, CancellationToken cancel)
    {
        var host = connection.Host;
        // Opened only once this host's turn has come: a payload is a file (the upload's tar) held open until sent.
        var data = payloadFor?.Invoke(host);
        var wanted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var payload = data is null ? null : new Payload(data, wanted.Task);
        var kept = new KeptOutput();
        reporter.Verbose(host, $"script {script.Name}:\n{script.Show()}");
        var held = script.ShowAfter is null ? null : new HeldOutput(Show);
        void Show(string line, bool isError)
        {
            // No known secret comes back through a host's output (a build or a unit's journal echoing one): the
            // script's own, the config's, the ones the host reported from its .env files. Redacted before the cut,
            // so no cut can leave the start of a secret showing.
            line = LineCut.Shorten(KnownSecrets.Redact(line));
            kept.Line(line);
            if (!quiet || isError)
            {
                reporter.Output(host, line, isError);
            }
        }

        void OnLine(string line, bool isError)
        {
            // Markers are Hoist's own channel (stdout, with this run's nonce), parsed, never shown.
            if (!isError && Marker.TryParse(line, out var key, out var value))
            {
                OnMarker(key, value);
            }
            else if (held is null || !held.Hold(line, isError))
            {
                Show(line, isError);
            }
        }

        void OnMarker(string key, string value)
        {
            if (key == Deploy.HostSecrets.LineKey.Name)
            {
                // Learnt, not kept: nothing reads them back, and each may be long.
                Deploy.HostSecrets.Learn(value);
                return;
            }

            kept.Marker(key, value);
            if (key == script.ShowAfter?.Name)
            {
                // Stdout is in order, so every value was learnt before this; stderr lines that raced ahead were held.
                held?.Release();
            }
            else if (key == ScriptMarkers.Step.Name)
            {
                reporter.Step(host, value);
            }
            else if (key == ScriptMarkers.Payload.Name)
            {
                wanted.TrySetResult();
            }
        }

        int exit;
        string? lost = null;
        try
        {
            exit = await connection.RunAsync(script.Render(reveal: true), payload, OnLine, cancel, script.AsRoot).ConfigureAwait(false);
        }
        catch (HostGoneException error)
        {
            // Found silent by keep-alives: this host's failure, so the others can be cleaned up.
            lost = error.Message;
            held?.Release();
            lock (silent)
            {
                // Said once per host: the cleanup that follows finds it gone too.
                if (silent.Add(host.Key))
                {
                    Show(error.Message, true);
                }
            }

            exit = ConnectionLost;
        }
        catch (Exception error) when (error is Renci.SshNet.Common.SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // A dropped connection is this host's failure, reported like any other, so the others can be cleaned up.
            lost = $"connection lost during {script.Name}: {error.Message}";
            held?.Release();
            Show(lost, true);
            exit = ConnectionLost;
        }
        finally
        {
            // A script that ended before its values came back (it failed first) has its lines shown now, redacted
            // with what was learnt; that is all of its values it could have echoed.
            held?.Release();
            if (data is not null)
            {
                await data.DisposeAsync().ConfigureAwait(false);
            }
        }

        return kept.ToRun(host, exit) with { Lost = lost };
    }

    private static async Task<IHostConnection> ConnectOneAsync(HostConfig host, SshConfig ssh, HostKeyPolicy policy, CancellationToken cancel)
    {
        if (host.IsLocal)
        {
            return new LocalConnection(host);
        }

        return await SshConnection.ConnectAsync(host, ssh, policy, cancel).ConfigureAwait(false);
    }

    private static Exception Combine(IReadOnlyList<Exception?> failures)
    {
        if (failures.Count == 1 && failures[0] is { } only)
        {
            return only;
        }

        var messages = failures.Select(f => f?.Message ?? "unknown failure");
        return new HoistException(string.Join("\n", messages));
    }
}
