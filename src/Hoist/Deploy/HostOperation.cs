namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// One run of deploy, rollback, setup or migrate on its hosts; all four have this one shape. It connects to the hosts
/// (and to the fleet's lock leader when it is not one of them, <see cref="FleetLock"/>), takes the deploy lock there
/// first and alone, then runs phases in which every host runs its script at once and a failure anywhere stops the
/// run; on every way out but success the run's cleanup goes to every host (bounded in time: a frozen host must not hold
/// hoist up). While the run holds the lock, what it may leave is noted (<see cref="Leftovers"/>), and a host's failure
/// is told one way for all four verbs (<see cref="Describe"/>).
/// </summary>
internal sealed class HostOperation : IAsyncDisposable
{
    /// <summary>How long a cleanup after a failure or Ctrl-C may take before hoist gives up on it.</summary>
    private static readonly TimeSpan CleanupBound = TimeSpan.FromSeconds(30);

    private readonly RunContext context;
    private readonly Func<HostConfig, Script?> cleanup;

    private HostOperation(RunContext context, string verb, Fleet fleet, IReadOnlyList<HostConfig> hosts, LockInfo lockInfo, Func<HostConfig, Script?> cleanup)
    {
        this.context = context;
        this.cleanup = cleanup;
        Verb = verb;
        Fleet = fleet;
        Hosts = hosts;
        Lock = lockInfo;
    }

    /// <summary>deploy, rollback, setup or migrate: how messages name the run.</summary>
    private string Verb { get; }

    /// <summary>The connections: <see cref="Hosts"/> and, when it is not one of them, the lock leader.</summary>
    public Fleet Fleet { get; }

    /// <summary>The hosts the run works on (not the leader it connects to only for its lock).</summary>
    public IReadOnlyList<HostConfig> Hosts { get; }

    private LockInfo Lock { get; }

    /// <summary>The fleet's lock leader's key when the run locks several hosts; null when one host's own script takes its lock.</summary>
    public string? Leader => Locks && Fleet.Hosts.Count > 1 ? FleetLock.Leader(context.Config).Key : null;

    /// <summary>
    /// Connects to <paramref name="hosts"/> and the lock leader, and notes <paramref name="leftover"/> until the run ends.
    /// </summary>
    /// <param name="cleanup">What each host runs when the run fails or is interrupted (releases this run's lock by its
    /// token, drops what it left unfinished); null for a host with nothing to clean.</param>
    /// <param name="locks">False for a run that takes no lock (a dry run, a setup of db hosts alone): no leader, nothing noted.</param>
    public static async Task<HostOperation> OpenAsync(
        RunContext context, string verb, IReadOnlyList<HostConfig> hosts, LockInfo lockInfo, string leftover, Func<HostConfig, Script?> cleanup, CancellationToken cancel,
        bool locks = true)
    {
        var fleet = await context.ConnectAsync(locks ? FleetLock.WithLeader(context.Config, hosts) : hosts, cancel).ConfigureAwait(false);
        if (locks)
        {
            context.Leftovers.Note(verb, leftover);
        }

        return new HostOperation(context, verb, fleet, hosts, lockInfo, locks ? cleanup : _ => null) { Locks = locks };
    }

    /// <summary>False for a run that takes no lock.</summary>
    private bool Locks { get; init; }

    /// <summary>True for the leader when the run does no work there, only takes its lock.</summary>
    public bool IsLockOnly(HostConfig host) => FleetLock.IsLockOnly(host, Hosts);

    /// <summary>
    /// Takes the lock on the leader alone (<paramref name="leaderScript"/>, or <see cref="FleetLock.Take"/>): of two racing
    /// runs exactly one gets through, and one that finds the lock held has taken nothing anywhere.
    /// </summary>
    public async Task TakeLeaderAsync(string nothing, CancellationToken cancel, Script? leaderScript = null)
    {
        if (Leader is not { } leader)
        {
            return;
        }

        await RunAsync(h => h.Key == leader ? leaderScript ?? FleetLock.Take(context.Config, Lock) : null, nothing, cancel, quiet: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="take"/> (a script that takes the lock first) on the leader alone, then on every other host at
    /// once; a leader there only for its lock runs <see cref="FleetLock.Take"/>. All or nothing, as <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="on">The hosts whose lock the run takes, when not all of <see cref="Hosts"/> (setup locks only the web hosts).</param>
    /// <param name="takeOnly">What a leader there only for its lock runs, when not <see cref="FleetLock.Take"/>: setup's lock
    /// takes nothing on a host not set up yet, where FleetLock.Take's <c>mkdir -p</c> would make deploy_to as the login user.</param>
    public async Task<IReadOnlyList<HostRun>> TakeEverywhereAsync(
        Script take, string nothing, CancellationToken cancel, IReadOnlyList<HostConfig>? on = null, Script? takeOnly = null)
    {
        var lockHosts = on ?? Hosts;
        var leader = FleetLock.Leader(context.Config).Key;
        bool Locks(HostConfig h) => lockHosts.Any(l => l.Key == h.Key);
        var leaderOnly = takeOnly ?? FleetLock.Take(context.Config, Lock);
        var first = await RunAsync(h => h.Key != leader ? null : Locks(h) ? take : leaderOnly, nothing, cancel, quiet: true).ConfigureAwait(false);
        var others = await RunAsync(h => h.Key != leader && Locks(h) ? take : null, nothing, cancel, quiet: true).ConfigureAwait(false);
        return [.. first.Where(r => Locks(r.Host)), .. others];
    }

    /// <summary>
    /// One phase: each host's script (null: the host sits it out), all at once. When any host fails, or on Ctrl-C,
    /// every host runs the cleanup and the run ends with an error naming each failed host and then
    /// <paramref name="nothing"/> (what was left unchanged, e.g. "nothing was switched: current is unchanged on every host").
    /// </summary>
    public async Task<IReadOnlyList<HostRun>> RunAsync(
        Func<HostConfig, Script?> script, string nothing, CancellationToken cancel, bool quiet = false, Func<HostConfig, Stream>? payload = null)
    {
        IReadOnlyList<HostRun> runs;
        try
        {
            runs = await Fleet.RunAsync(script, payload, quiet, cancel, stopOnFailure: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Reporter.Warn($"interrupted: undoing what this {Verb} began and releasing the lock");
            await CleanupAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception error) when (error is HoistException or IOException or InvalidOperationException)
        {
            // Whatever else ends a phase (a session that broke in a way Fleet does not turn into a HostRun) must not
            // leave this run's lock and unfinished work on the hosts that did answer: the cleanup is by token, so safe.
            await CleanupAsync().ConfigureAwait(false);
            throw;
        }

        var failed = runs.Where(r => !r.Ok).ToList();
        if (failed.Count == 0)
        {
            return runs;
        }

        // Only where this run's token is in the lock (not a held one's) does the cleanup remove it.
        await CleanupAsync().ConfigureAwait(false);
        throw Failure(failed, nothing);
    }

    /// <summary>The error for hosts that failed: each one described, then what was left unchanged; exit 75 when only held locks stopped it.</summary>
    /// <remarks>Hosts whose scripts hoist stopped once another had failed are named together, after the failures.</remarks>
    public HoistException Failure(IReadOnlyList<HostRun> failed, string nothing)
    {
        var own = failed.Where(r => !r.Stopped).ToList();
        var stopped = failed.Where(r => r.Stopped).Select(r => r.Host.Display).ToList();
        return new(string.Join('\n', own.Select(Describe)) +
            (stopped.Count > 0 ? $"\n{string.Join(", ", stopped)}: stopped, as the {Verb} had failed on another host" : "") + "\n" + nothing,
            own.Count > 0 && own.All(LockReport.FoundHeld) ? ExitCodes.LockHeld : ExitCodes.Failure);
    }

    /// <summary>The cleanup on every host, bounded; what it could not do is said, never thrown.</summary>
    public async Task CleanupAsync()
    {
        using var timeout = new CancellationTokenSource(CleanupBound);
        try
        {
            await Fleet.RunAsync(cleanup, null, quiet: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A host that does not answer (frozen, but not yet past its keep-alives) must not hold hoist up without end.
            context.Reporter.Warn($"the cleanup did not finish in {CleanupBound.TotalSeconds:0} s; this may be left: {string.Join("; ", context.Leftovers.Notes)}");
        }
    }

    /// <summary>
    /// One host's failure, the same for every verb: the lock held by another run (and by whom), the connection lost (and
    /// how to get the host back), or the step that failed with the host's last lines.
    /// </summary>
    /// <remarks>Host lines and the lock holder go in as the host sent them: the one error handler cleans the message (secrets, control characters).</remarks>
    public string Describe(HostRun run) => LockReport.FoundHeld(run)
        ? $"{run.Host.Display}: deploy is locked by {LockReport.Read(run).Holder}; wait for it to finish, or if it died run `hoist lock release --force`"
        : run.Lost is not null
        ? LostHost.Describe(run, Verb == "deploy" ? "its deploy lock and this deploy's unfinished release" : "its deploy lock", Verb, $"{Verb} again")
        : $"{run.Host.Display}: {(run.LastStep is { } step ? $"step '{step}'" : "the script, before its first step,")} failed (exit {run.ExitCode})" +
          (run.Output.Count > 0 ? $":\n{Indent(run.Tail())}" : "");

    /// <summary>The run is over on every host (committed, reverted or cleaned): nothing of it is left to say.</summary>
    public ValueTask DisposeAsync()
    {
        context.Leftovers.Clear(Verb);
        return Fleet.DisposeAsync();
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));
}
