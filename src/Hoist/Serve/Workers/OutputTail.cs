namespace Hoist.Serve.Workers;

/// <summary>
/// A worker's last few lines of output, kept to explain why it never became ready; each line capped. Lines are
/// added already redacted (<see cref="Shell.SecretRedactor"/>): capping first could keep a secret's first part.
/// </summary>
internal sealed class OutputTail(int capacity)
{
    /// <summary>Characters kept of a line: a worker printing a huge line must not make every failure message huge.</summary>
    public const int MaxLine = 500;

    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string line)
    {
        lock (gate)
        {
            lines.Enqueue(Capped.To(line, MaxLine));
            if (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    /// <summary>The lines as a failure message ends with them: "" when there are none.</summary>
    public string Shown()
    {
        var lines = Lines();
        return lines.Count == 0 ? "" : $"\n  its last output:\n    {string.Join("\n    ", lines)}";
    }

    public IReadOnlyList<string> Lines()
    {
        lock (gate)
        {
            return lines.ToList();
        }
    }
}
