namespace Hoist.Deploy;

using Hoist.Serve;

/// <summary>
/// Whether a link in the upload folder leads out of it once on a host: an absolute target always does (it names the
/// host's own file), a relative one when, resolved the way the kernel would (through the folder's own links), it
/// climbs above the folder. Lexical checks alone miss <c>here -> .</c> followed by <c>x -> here/../y</c>.
/// </summary>
internal static class UploadLinkCheck
{
    // The kernel's own limit on links followed in one lookup (ELOOP); a loop is a link that leads nowhere useful.
    private const int MaxHops = 40;

    /// <param name="root">The upload folder.</param>
    /// <param name="name">The link's name relative to it, '/'-separated.</param>
    /// <param name="target">What the link holds.</param>
    public static bool Leaves(string root, string name, string target)
    {
        var at = new List<string>(name.Split('/')[..^1]);
        var pending = new Stack<string>();
        Push(pending, target);
        if (target.StartsWith('/'))
        {
            return true;
        }

        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (at.Count == 0)
                {
                    return true;
                }

                at.RemoveAt(at.Count - 1);
                continue;
            }

            var path = Path.Combine(root, Path.Combine([.. at, part]));
            if (IsLink(path) && new FileInfo(path).LinkTarget is { } next)
            {
                if (next.StartsWith('/') || ++hops > MaxHops)
                {
                    return true;
                }

                Push(pending, next);
                continue;
            }

            at.Add(part);
        }

        return false;
    }

    // A part under a file (ENOTDIR) or unreadable is no link: the host's kernel would stop there too.
    private static bool IsLink(string path)
    {
        try
        {
            return Native.Lstat(path) is { IsLink: true };
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Puts a path's parts on the stack so that its first part comes off first.</summary>
    private static void Push(Stack<string> pending, string path)
    {
        foreach (var part in path.Split('/').Reverse())
        {
            pending.Push(part);
        }
    }
}
