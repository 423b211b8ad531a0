namespace Hoist.Serve.Config;

/// <summary>What a worker process runs.</summary>
internal abstract record WorkerApp;

/// <summary>
/// Any app command (<c>dotnet App.dll</c>, <c>node server.js</c>) that listens where <c>$PORT</c> (or
/// <c>ASPNETCORE_URLS</c>) says; run through <c>sh -c</c> in the worker's folder.
/// </summary>
internal sealed record CommandApp(string Command) : WorkerApp;

/// <summary>A Python WSGI app (<c>wsgi-file</c> or <c>module</c>, and <c>callable</c>) run by gunicorn or waitress, one process per worker.</summary>
internal sealed record WsgiApp(string? File, string? Module, string Callable, int? Optimize) : WorkerApp
{
    /// <summary>
    /// When <see cref="Callable"/> is an app factory (<c>module = flaskr:create_app()</c>), the literal arguments it is
    /// called with, as written between the parentheses ("" for none); null when the callable is the app itself.
    /// </summary>
    public string? Call { get; init; }

    /// <summary>The callable as gunicorn's import_app reads it: <c>app</c>, or <c>create_app('prod')</c>.</summary>
    public string CallableExpression => Call is null ? Callable : $"{Callable}({Call})";
}
