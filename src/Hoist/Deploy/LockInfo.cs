namespace Hoist.Deploy;

/// <summary>Who holds a deploy lock and why; its token lets only the holder release it.</summary>
internal sealed record LockInfo(string Holder, string Token)
{
    public static LockInfo For(string action, DateTimeOffset now)
    {
        var holder = $"{Core.RunContext.Who} (pid {Environment.ProcessId}) since {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: {action}";
        return new LockInfo(holder, Guid.NewGuid().ToString("N"));
    }
}
