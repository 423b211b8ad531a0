namespace Hoist.Remote;

using System.Globalization;

/// <summary>
/// A host's lines held back until its .env values are known (<see cref="Shell.Script.ShowAfter"/>), then shown in
/// the order they came; at most <see cref="MaxHeld"/> of them, the rest counted and said.
/// </summary>
/// <remarks>
/// Stdout and stderr are read on two threads, so a line the host wrote on stderr after its values can reach Hoist
/// before the stdout thread has read them. Holding every line until the marker that follows the values has been
/// read makes the order the host wrote in the order Hoist learns and shows in. Only the script's own preamble
/// (the lock, the state report) comes before the marker, so the bound is never reached by a sound script.
/// </remarks>
internal sealed class HeldOutput(Action<string, bool> show)
{
    public const int MaxHeld = 1000;

    private readonly Queue<(string Line, bool IsError)> lines = new();
    private bool released;
    private long dropped;

    /// <summary>Holds the line unless the values are known; false: show it now.</summary>
    public bool Hold(string line, bool isError)
    {
        lock (lines)
        {
            if (released)
            {
                return false;
            }

            if (lines.Count < MaxHeld)
            {
                lines.Enqueue((line, isError));
            }
            else
            {
                dropped++;
            }

            return true;
        }
    }

    /// <summary>Shows what was held, once; lines that come after are shown as they come.</summary>
    public void Release()
    {
        lock (lines)
        {
            // Shown under the lock, so a line arriving meanwhile on the other stream waits and keeps its place.
            released = true;
            while (lines.TryDequeue(out var held))
            {
                show(held.Line, held.IsError);
            }

            if (dropped > 0)
            {
                show(string.Create(CultureInfo.InvariantCulture, $"… {dropped} more lines, printed before the host's .env values were read, not shown"), true);
                dropped = 0;
            }
        }
    }
}
