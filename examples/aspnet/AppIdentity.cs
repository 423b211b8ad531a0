namespace HoistDemo;

/// <summary>Who is answering: the release folder the app runs from, its revision, the worker and the process.</summary>
internal sealed record AppIdentity(string ContentRoot, string Release, string? Revision, string? Worker, int Pid)
{
    /// <summary>
    /// Reads the identity once, at start. The content root is the folder HoistDemo.dll was loaded
    /// from with symbolic links resolved, so a worker started through `current` keeps naming (and
    /// serving the static files of) its own release after `current` moves on to the next one.
    /// </summary>
    public static AppIdentity Load()
    {
        var root = Resolve(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var revisionFile = Path.Combine(root, "REVISION");
        var revision = File.Exists(revisionFile) ? File.ReadAllText(revisionFile).Trim() : null;
        var worker = Environment.GetEnvironmentVariable("HOIST_WORKER");
        return new AppIdentity(root, Path.GetFileName(root), revision, string.IsNullOrEmpty(worker) ? null : worker, Environment.ProcessId);
    }

    private static string Resolve(string folder)
    {
        var target = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? folder : Path.TrimEndingDirectorySeparator(target.FullName);
    }
}
