namespace Hoist.Serve;

/// <summary>The last lines a process printed, kept as they arrive (from any thread) for an error message.</summary>
internal sealed class LineTail(int keep)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Enqueue(line);
            if (lines.Count > keep)
            {
                lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (gate)
        {
            return [.. lines];
        }
    }
}
