namespace Hoist.Serve.Config;

/// <summary>What a worker process runs.</summary>
internal abstract record WorkerApp;

/// <summary>
/// Any app command (<c>dotnet App.dll</c>, <c>node server.js</c>) that listens where <c>$PORT</c> (or
/// <c>ASPNETCORE_URLS</c>) says; run through <c>sh -c</c> in the worker's folder.
/// </summary>
internal sealed record CommandApp(string Command) : WorkerApp;

/// <summary>
/// A Python app, one process per worker: WSGI (<c>wsgi-file</c> or <c>module</c>, and <c>callable</c>) run by gunicorn or
/// waitress, or ASGI (<c>asgi</c>, <see cref="Asgi"/>) run by uvicorn. Both load the same way (PYTHONPATH, venv,
/// factory), which is why they are one record.
/// </summary>
internal sealed record WsgiApp(string? File, string? Module, string Callable, int? Optimize) : WorkerApp
{
    /// <summary>
    /// When <see cref="Callable"/> is an app factory (<c>module = flaskr:create_app()</c>), the literal arguments it is
    /// called with, as written between the parentheses ("" for none); null when the callable is the app itself.
    /// </summary>
    public string? Call { get; init; }

    /// <summary>
    /// Requests one worker serves at once, each on a thread of its own (<c>threads</c>; default 1): gunicorn's gthread
    /// model on hoist serve's socket, waitress's --threads.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>The virtualenv whose python runs the workers (<c>venv</c>, or uWSGI's <c>home</c>/<c>virtualenv</c>/<c>pyhome</c>); null = the host's.</summary>
    public string? Venv { get; init; }

    /// <summary>An ASGI app (<c>asgi = module:app</c>): uvicorn's server on hoist serve's socket, one event loop per worker.</summary>
    public bool Asgi { get; init; }

    /// <summary>The callable as gunicorn's import_app reads it: <c>app</c>, or <c>create_app('prod')</c>.</summary>
    public string CallableExpression => Call is null ? Callable : $"{Callable}({Call})";
}
