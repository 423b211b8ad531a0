namespace Hoist.Remote;

/// <summary>Appends host keys to a known_hosts file in the format ssh itself writes.</summary>
internal static class KnownHostsAppender
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Append(string path, string host, int port, string keyType, byte[] keyBlob)
    {
        var line = Line(host, port, keyType, keyBlob);
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        if (existing is not null && existing.Split('\n').Any(l => SameKeyLine(l, line)))
            return;

        CreateFolder(path);
        // Never glue our line onto a last line that lacks its newline.
        var separator = existing is { Length: > 0 } && !existing.EndsWith('\n') ? "\n" : "";
        using var stream = new FileStream(path, AppendOptions());
        using var writer = new StreamWriter(stream);
        writer.Write(separator + line + "\n");
    }

    /// <summary>"host keytype base64", with "[host]:port" for ports other than 22.</summary>
    public static string Line(string host, int port, string keyType, byte[] keyBlob)
    {
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is ',' or '*' or '?' or '!' or '#' or '|'))
            throw new ArgumentException($"'{host}' cannot be written to known_hosts as a host name.", nameof(host));
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port must be between 1 and 65535.");
        var type = SshKeyBlob.KeyTypeOf(keyType, keyBlob);
        return $"{KnownHostsName.For(host, port)} {type} {Convert.ToBase64String(keyBlob)}";
    }

    private static void CreateFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, FolderMode);
    }

    // An existing line counts as ours even with a trailing comment or other spacing.
    private static bool SameKeyLine(string existing, string line) =>
        existing.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(3).SequenceEqual(line.Split(' '));

    private static FileStreamOptions AppendOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        // Only applies when the file is created; an existing file keeps its mode.
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = NewFileMode;
        return options;
    }
}
