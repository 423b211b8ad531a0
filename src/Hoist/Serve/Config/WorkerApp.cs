namespace Hoist.Serve.Config;

/// <summary>What a worker process runs.</summary>
internal abstract record WorkerApp;

/// <summary>
/// Any app command (<c>dotnet App.dll</c>, <c>node server.js</c>) that listens where <c>$PORT</c> (or
/// <c>ASPNETCORE_URLS</c>) says; run through <c>sh -c</c> in the worker's folder.
/// </summary>
internal sealed record CommandApp(string Command) : WorkerApp;

/// <summary>A Python WSGI app (<c>wsgi-file</c> or <c>module</c>, and <c>callable</c>) run by gunicorn or waitress, one process per worker.</summary>
internal sealed record WsgiApp(string? File, string? Module, string Callable, int? Optimize) : WorkerApp;
