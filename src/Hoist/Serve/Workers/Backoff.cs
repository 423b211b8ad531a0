namespace Hoist.Serve.Workers;

/// <summary>
/// One slot's restart backoff: doubling from 0.5 s to at most 30 s, with ±20% jitter so that workers crashing
/// together do not restart in lockstep; the count starts again after a worker stayed up for <see cref="StableAfter"/>.
/// </summary>
internal sealed class Backoff(TimeProvider clock, Func<double> random01)
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>After this long ready, a worker's crash count starts again from zero.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failures after which a slot is reported as errored (it keeps being retried at <see cref="Max"/>).</summary>
    public const int ErroredAfter = 5;

    /// <summary>Failures in a row since the slot last had a worker that stayed up for <see cref="StableAfter"/>.</summary>
    public int Failures { get; private set; }

    public bool Errored => Failures >= ErroredAfter;

    /// <summary>Counts a failure (a crash, or a start that never got ready) and says how long to wait before the next start.</summary>
    /// <param name="readyAt">When the failed worker had become ready; null if it never did.</param>
    public TimeSpan Failed(DateTimeOffset? readyAt)
    {
        var stable = readyAt is { } ready && clock.GetUtcNow() - ready > StableAfter;
        Failures = stable ? 1 : Failures + 1;
        return Delay(Failures, random01());
    }

    public static TimeSpan Delay(int consecutiveFailures, double random01)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 16);
        var baseMs = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        var jitter = 1 + ((random01 * 2) - 1) * 0.2;
        return TimeSpan.FromMilliseconds(baseMs * jitter);
    }
}
