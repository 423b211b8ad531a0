namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>
/// Reads what the workers run: exactly one of <c>wsgi-file</c>, <c>module</c>, <c>asgi</c> or <c>command</c>. A module may name an app
/// factory to call (<c>flaskr:create_app()</c>), as gunicorn and Flask's docs write it, so no wsgi.py needs adding.
/// </summary>
internal static partial class AppBuilder
{
    /// <summary>uWSGI's default callable name, and so Hoist's.</summary>
    public const string DefaultCallable = "application";

    private static readonly string[] AppKeys = ["wsgi-file", "module", "asgi", "command"];

    private static readonly string[] VenvKeys = ["venv", "home", "virtualenv", "pyhome"];

    /// <param name="chdir">The workers' folder: a relative <c>wsgi-file</c> is found there, as uWSGI (which changes
    /// folder before loading the app) finds it; without <c>chdir</c>, in the file's folder like every other path.</param>
    public static WorkerApp? Read(SettingReader read, string? chdir)
    {
        var given = AppKeys.Select(read.Find).OfType<ServeSetting>().ToList();
        if (given.Count == 0)
        {
            read.Missing(AppKeys, $"no app to run; set {read.Name("wsgi-file")} (wsgi.py) or {read.Name("module")} (myapp.wsgi:app) for a Python WSGI app, {read.Name("asgi")} (myapp:app) for an ASGI app, or {read.Name("command")} (dotnet MyApp.dll) for any other");
            return null;
        }

        if (given.Count > 1)
        {
            read.Error(given[1], $"{read.Name(given[0].Key)} and {read.Name(given[1].Key)} are both set; keep one");
            return null;
        }

        return given[0].Key == "command" ? Command(read, given[0]) : Wsgi(read, given[0], chdir);
    }

    private static CommandApp? Command(SettingReader read, ServeSetting command)
    {
        foreach (var key in new[] { "callable", "optimize", "threads" }.Where(k => read.Find(k) is not null))
        {
            read.Error(read.Find(key)!, $"{read.Name(key)} only applies to a WSGI app ({read.Name("wsgi-file")} or {read.Name("module")}); remove it");
        }

        foreach (var key in VenvKeys.Where(k => read.Find(k) is not null))
        {
            read.Error(read.Find(key)!, $"{read.Name(key)} only applies to a WSGI app ({read.Name("wsgi-file")} or {read.Name("module")}); a command runs what it names, e.g. venv/bin/python app.py");
        }

        if (command.Text is { } text && text.Value.Trim().Length == 0)
        {
            read.Error(command, $"{read.Name("command")} is empty; give the command that starts one worker, e.g. dotnet MyApp.dll");
            return null;
        }

        return command.Text is null ? null : new CommandApp(command.Text.Value.Trim());
    }

    private static WsgiApp? Wsgi(SettingReader read, ServeSetting app, string? chdir)
    {
        var wsgi = WsgiTarget(read, app, chdir);
        var asgi = app.Key == "asgi";
        if (asgi)
        {
            RefuseForAsgi(read);
        }

        var threads = asgi ? null : read.Int("threads", 1, 1024);
        var venv = Venv(read, chdir);
        return wsgi is null ? null : wsgi with { Threads = threads ?? 1, Venv = venv, Asgi = asgi };
    }

    /// <summary>
    /// What only a WSGI worker does: an ASGI worker serves many requests at once on one event loop, so there is no
    /// thread pool to size. (harakiri applies, as the longest its event loop may go without turning.)
    /// </summary>
    private static void RefuseForAsgi(SettingReader read)
    {
        if (read.Find("threads") is { } threads)
        {
            read.Error(threads, $"{read.Name("threads")} does not apply to an ASGI app: its worker serves many requests at once on one event loop; remove it (more {read.Name("processes")} use more CPUs)");
        }
    }

    /// <summary>
    /// The virtualenv whose python runs the workers (uWSGI's venv, home, virtualenv and pyhome, which mean the same);
    /// relative to chdir, as wsgi-file is, so a release's own venv/ is found in the release.
    /// </summary>
    private static string? Venv(SettingReader read, string? chdir)
    {
        var given = VenvKeys.Select(read.Find).OfType<ServeSetting>().ToList();
        if (given.Count > 1)
        {
            read.Error(given[1], $"{read.Name(given[0].Key)} and {read.Name(given[1].Key)} both name the virtualenv; keep one");
            return null;
        }

        return given is [var venv] ? read.Path(venv.Key, chdir)?.TrimEnd('/') : null;
    }

    private static WsgiApp? WsgiTarget(SettingReader read, ServeSetting app, string? chdir)
    {
        var optimize = read.Int("optimize", 0, 2);
        var callableSetting = read.Find("callable");
        var callable = callableSetting?.Text?.Value.Trim();
        if (callableSetting is not null && callable is not null && !Identifier().IsMatch(callable))
        {
            var hint = callable.Contains('(', StringComparison.Ordinal) && app.Key == "module"
                ? $"; an app factory is called from {read.Name("module")}, e.g. myapp:create_app()"
                : "";
            read.Error(callableSetting, $"{callableSetting.Text!.Quoted} is not a Python name; write the name of the app object in the file, e.g. app{hint}");
            return null;
        }

        if (app.Key == "wsgi-file")
        {
            var file = read.Path("wsgi-file", chdir);
            return file is null ? null : new WsgiApp(file, null, callable ?? DefaultCallable, optimize);
        }

        var module = app.Text?.Value.Trim();
        if (module is null)
        {
            return null;
        }

        var match = Module().Match(module);
        if (!match.Success)
        {
            var examples = app.Key == "asgi" ? "main:app, mysite.asgi or myapp:create_app()" : "myapp.wsgi, myapp.wsgi:app or myapp:create_app()";
            read.Error(app, $"{app.Text!.Quoted} is not a Python module; write a dotted name with an optional callable or app factory, e.g. {examples}");
            return null;
        }

        var call = match.Groups["args"].Success ? match.Groups["args"].Value.Trim() : null;
        if (call is not null && !FactoryCall.IsLiteral(call))
        {
            read.Error(app, $"{app.Text!.Quoted} calls its app factory with ({call}); gunicorn passes only literal arguments (strings, numbers, True, False, None), e.g. myapp:create_app('production'); read anything else from the environment in the factory");
            return null;
        }

        var named = match.Groups["callable"].Success ? match.Groups["callable"].Value : null;
        if (named is not null && callable is not null && named != callable)
        {
            read.Error(callableSetting!, $"{read.Name(app.Key)} names the callable '{named}' but {read.Name("callable")} says '{callable}'; keep one");
            return null;
        }

        return new WsgiApp(null, match.Groups["module"].Value, named ?? callable ?? DefaultCallable, optimize) { Call = call };
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?<module>[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)(:(?<callable>[A-Za-z_][A-Za-z0-9_]*)(\((?<args>.*)\))?)?$", RegexOptions.Singleline)]
    private static partial Regex Module();
}
