namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;

/// <summary>The apps the serve tests run as workers, laid out in temp folders.</summary>
internal static class ServeApps
{
    /// <summary>The Flask app (Apps/flaskapp: wsgi.py with `app = app_factory(...)`, as in the seed), copied into <paramref name="target"/>.</summary>
    public static string CopyFlaskApp(string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "flaskapp"), "*.py"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>
    /// The flaskr-shaped app (Apps/flaskr: the package flaskr/ with create_app() in __init__.py, a blueprint, SQLite in
    /// the instance folder), copied into <paramref name="target"/> as its repository would be checked out.
    /// </summary>
    public static string CopyFlaskrApp(string target)
    {
        var source = Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "flaskr");
        Directory.CreateDirectory(Path.Combine(target, "flaskr"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "flaskr"), "*.py"))
        {
            File.Copy(file, Path.Combine(target, "flaskr", Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>The Starlette app (Apps/asgiapp/app.py: /, /up and the WebSocket echo /echo), copied into <paramref name="target"/>.</summary>
    public static string CopyAsgiApp(string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(AsgiAppSource, Path.Combine(target, "app.py"));
        return target;
    }

    /// <summary>The Starlette app's source file.</summary>
    public static string AsgiAppSource => Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "asgiapp", "app.py");

    /// <summary>The plain http.server app (Apps/httpapp/app.py: HTTP/1.0, or HTTP/1.1 given `1.1`), copied into <paramref name="target"/>.</summary>
    public static string CopyHttpApp(string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "httpapp", "app.py"), Path.Combine(target, "app.py"));
        return target;
    }

    /// <summary>The app whose POSTs are recorded (Apps/postapp/app.py: exit, close or lying10), copied into <paramref name="target"/>.</summary>
    public static string CopyPostApp(string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Integration", "Serve", "Apps", "postapp", "app.py"), Path.Combine(target, "app.py"));
        return target;
    }

    /// <summary>
    /// Makes <paramref name="dir"/> and the folders above it up to /tmp traversable (temp folders are 0700), so that
    /// nginx's workers, running as another user, reach a socket inside; the socket's own mode and group decide the rest.
    /// </summary>
    public static void OpenForNginx(TempDir dir)
    {
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    /// <summary>
    /// A folder for the listening socket whose files take nginx's worker group (setgid), readable by that group only,
    /// as /run/myproject would be set up on a host.
    /// </summary>
    public static async Task<string> SocketFolderAsync(TempDir dir)
    {
        var run = dir.Combine("run");
        Directory.CreateDirectory(run);
        await Run.ShellAsync($"chgrp {TestNginx.WorkerGroup} '{run}' && chmod 2750 '{run}'");
        return run;
    }
}
