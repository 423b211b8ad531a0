namespace Hoist.Deploy;

using Hoist.Remote;

/// <summary>
/// The one wording for a host whose connection was lost while it ran this run's script: what it was doing, what may
/// be left there, and how to clean up once it answers. Deploy and migrate say it alike, so that whoever met it once
/// reads it at once.
/// </summary>
internal static class LostHost
{
    /// <param name="left">What may be left on the host (its deploy lock, and more for a deploy).</param>
    /// <param name="verb">The run's verb (deploy, migrate), for what the lock release stops.</param>
    /// <param name="then">What to do once the lock is released (deploy again).</param>
    public static string Describe(HostRun run, string left, string verb, string then) =>
        $"{run.Host.Display}: {run.Lost} (during '{run.LastStep ?? verb}'); {left} may be left there: " +
        $"once it answers, run `hoist lock release --force --host {run.Host.Display}` (it also stops what this {verb} left running), and {then}";
}
