namespace Hoist.Deploy;

/// <summary>What a <c>shared</c> entry means on a host: what it is created as, and which folders it sits in.</summary>
internal static class SharedEntry
{
    /// <summary>A dotted name is created as a file, anything else as a folder, when it does not exist yet.</summary>
    public static bool IsFile(string entry)
    {
        var name = entry.TrimEnd('/');
        return !entry.EndsWith('/') && Path.GetFileName(name).Contains('.', StringComparison.Ordinal);
    }

    /// <summary>The folders an entry sits in, outermost first: <c>a/b/c.ini</c> gives <c>a</c>, <c>a/b</c>.</summary>
    public static IEnumerable<string> Parents(string entry)
    {
        var segments = entry.TrimEnd('/').Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            yield return string.Join('/', segments[..i]);
        }
    }
}
