namespace Hoist.Config.Loading;

/// <summary>Resolves paths on the deploying machine: <c>~/</c> from HOME, relative ones from the config's folder.</summary>
internal sealed class LocalPaths(string baseDirectory, string? home)
{
    /// <summary>The same rules, with relative paths resolved against <paramref name="folder"/> instead.</summary>
    public LocalPaths RelativeTo(string folder) => new(folder, home);

    /// <summary>The full path, or null with <paramref name="error"/> saying why it cannot be resolved.</summary>
    public string? Resolve(string path, out string error)
    {
        error = "";
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "a path cannot contain a NUL character";
            return null;
        }

        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(home))
            {
                error = $"HOME is not set, so '{path}' cannot be expanded; write an absolute path";
                return null;
            }

            return Path.GetFullPath(Path.Join(home, path[1..]));
        }

        if (path.StartsWith('~'))
        {
            error = $"'{path}': only '~/' is expanded, not '~user/'; write an absolute path";
            return null;
        }

        return Path.GetFullPath(path, Path.GetFullPath(baseDirectory));
    }
}
