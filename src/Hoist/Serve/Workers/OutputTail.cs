namespace Hoist.Serve.Workers;

/// <summary>A worker's last few lines of output, kept to explain why it never became ready.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string line)
    {
        lock (gate)
        {
            lines.Enqueue(line);
            if (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (gate)
        {
            return lines.ToList();
        }
    }
}
