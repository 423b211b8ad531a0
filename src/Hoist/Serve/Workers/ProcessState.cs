namespace Hoist.Serve.Workers;

/// <summary>A process's run state as the kernel reports it in /proc/PID/stat.</summary>
internal static class ProcessState
{
    /// <summary>True when the kernel holds the process stopped: by a signal (T) or by a tracer (t).</summary>
    public static bool IsStopped(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // Gone: its exit is seen elsewhere.
        }

        return IsStoppedState(stat);
    }

    /// <summary>The state is the field after the command name, which is in parentheses and may hold both and spaces.</summary>
    public static bool IsStoppedState(string stat)
    {
        var end = stat.LastIndexOf(") ", StringComparison.Ordinal);
        return end >= 0 && end + 2 < stat.Length && stat[end + 2] is 'T' or 't';
    }
}
