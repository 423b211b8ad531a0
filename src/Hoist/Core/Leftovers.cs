namespace Hoist.Core;

/// <summary>
/// What a verb may leave behind on hosts if hoist exits without its cleanup (a second Ctrl-C), with how to clear it:
/// the verb says it before it starts a change and takes it back once it has finished or cleaned up.
/// </summary>
internal sealed class Leftovers
{
    private readonly Dictionary<string, string> notes = [];

    /// <summary>Says (or replaces) what may be left under <paramref name="key"/>.</summary>
    public void Note(string key, string note)
    {
        lock (notes)
        {
            notes[key] = note;
        }
    }

    public void Clear(string key)
    {
        lock (notes)
        {
            notes.Remove(key);
        }
    }

    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (notes)
            {
                return notes.Values.ToList();
            }
        }
    }
}
