namespace Hoist.Remote;

using System.Globalization;

/// <summary>
/// OpenSSH's ServerAliveCountMax rule: at each interval one more keep-alive goes out unanswered; a reply resets the
/// count; when <c>count</c> are out and the next interval passes without a reply, the host is gone.
/// </summary>
internal sealed class KeepAliveCounter(TimeSpan interval, int count)
{
    private int unanswered;

    /// <summary>One interval has passed: true to send a keep-alive, false when the host is gone.</summary>
    public bool Tick() => Interlocked.Increment(ref unanswered) <= count;

    public void Answered() => Interlocked.Exchange(ref unanswered, 0);

    /// <summary>Why the host counts as gone, as the error says it.</summary>
    public string Verdict =>
        string.Create(CultureInfo.InvariantCulture, $"host stopped answering: no reply to {count} keep-alive{(count == 1 ? "" : "s")} in {(interval * count).TotalSeconds:0.##} s");
}
