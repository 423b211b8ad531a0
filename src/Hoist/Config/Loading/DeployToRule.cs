namespace Hoist.Config.Loading;

/// <summary>
/// Which folders deploy_to may name. Hoist makes releases/, shared/, repo/, current and .hoist/ there and prunes old
/// releases, so it must be a folder of the app's own: '~/…' or an absolute, normalized path at least two levels
/// deep (/srv/app, /var/www/app, /home/deploy/app), never inside the system's own folders and never a home itself.
/// </summary>
internal static class DeployToRule
{
    /// <summary>Top-level folders that belong to the system: nothing under them is an app's.</summary>
    private static readonly string[] SystemRoots = ["bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "sys", "usr"];

    /// <summary>Two-level folders the system uses, and the folders that hold users' homes.</summary>
    private static readonly string[] SystemFolders =
        ["/var/backups", "/var/cache", "/var/lib", "/var/local", "/var/lock", "/var/log", "/var/mail", "/var/opt", "/var/run", "/var/spool", "/var/tmp"];

    /// <summary>Null when <paramref name="path"/> may be deploy_to; otherwise what is wrong and what to write.</summary>
    public static string? Problem(string path, string app)
    {
        var home = path.StartsWith("~/", StringComparison.Ordinal);
        if (!home && !path.StartsWith('/'))
        {
            return null;
        }

        var segments = path == "/" ? [] : (home ? path[2..] : path[1..]).Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            var clean = Normalized(segments);
            var prefix = home ? "~/" : "/";
            var hint = clean.Count > 0 ? $"; write '{prefix}{string.Join('/', clean)}'" : "";
            return $"'{path}' is not a normalized path (no '//', '.', '..' or trailing '/'){hint}";
        }

        if (home)
        {
            return null;
        }

        var example = $"e.g. /srv/{app} or ~/{app}";
        if (segments.Length < 2)
        {
            return $"'{path}' is a system folder; deploy_to must be a folder of the app's own, at least two levels deep ({example})";
        }

        if (SystemRoots.Contains(segments[0]))
        {
            return $"'{path}' is inside /{segments[0]}, which belongs to the system; put the app elsewhere ({example})";
        }

        if (SystemFolders.Contains(path))
        {
            return $"'{path}' is a system folder; deploy_to must be a folder of the app's own ({path}/{app} or /srv/{app})";
        }

        if (segments is ["home", var user])
        {
            return $"'{path}' is a user's home itself; use a folder inside it, e.g. /home/{user}/{app}";
        }

        return null;
    }

    private static List<string> Normalized(string[] segments)
    {
        var clean = new List<string>();
        foreach (var segment in segments)
        {
            if (segment == "..")
            {
                if (clean.Count > 0)
                {
                    clean.RemoveAt(clean.Count - 1);
                }
            }
            else if (segment is not ("" or "."))
            {
                clean.Add(segment);
            }
        }

        return clean;
    }
}
