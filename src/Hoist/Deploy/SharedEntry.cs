namespace Hoist.Deploy;

/// <summary>How a <c>shared</c> entry that does not exist yet is created: a dotted name is a file, anything else a folder.</summary>
internal static class SharedEntry
{
    public static bool IsFile(string entry)
    {
        var name = entry.TrimEnd('/');
        return !entry.EndsWith('/') && Path.GetFileName(name).Contains('.', StringComparison.Ordinal);
    }
}
