namespace Hoist.Serve.Workers;

/// <summary>
/// How long to wait before restarting a crashed worker: doubling from 0.5 s to at most 30 s, with ±20% jitter
/// so that workers crashing together do not restart in lockstep.
/// </summary>
internal static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>After this long ready, a worker's crash count starts again from zero.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive crashes after which a slot is reported as errored (it keeps being retried at <see cref="Max"/>).</summary>
    public const int ErroredAfter = 5;

    public static TimeSpan Delay(int consecutiveCrashes, double random01)
    {
        var exponent = Math.Clamp(consecutiveCrashes - 1, 0, 16);
        var baseMs = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        var jitter = 1 + ((random01 * 2) - 1) * 0.2;
        return TimeSpan.FromMilliseconds(baseMs * jitter);
    }
}
