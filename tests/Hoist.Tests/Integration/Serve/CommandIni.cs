namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;

/// <summary>A serve.ini in a test folder for command workers behind a unix socket there: what such tests share.</summary>
internal static class CommandIni
{
    /// <summary>A worker that serves the folder over HTTP on $PORT.</summary>
    public const string HttpServer = "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1";

    /// <summary>Writes DIR/serve.ini (socket DIR/app.sock, chdir DIR, the command, then <paramref name="more"/> lines).</summary>
    public static (string Ini, string Socket) Write(TempDir dir, int processes, string command, params string[] more) =>
        Write(dir, dir.Path, processes, command, more);

    /// <summary>The same with another chdir, such as a deploy folder's `current`.</summary>
    public static (string Ini, string Socket) Write(TempDir dir, string chdir, int processes, string command, params string[] more)
    {
        var socket = dir.Combine("app.sock");
        var lines = new List<string> { "[uwsgi]", $"socket = {socket}", $"processes = {processes}", $"chdir = {chdir}", $"command = {command}" };
        lines.AddRange(more);
        lines.Add("");
        return (dir.Write("serve.ini", string.Join('\n', lines)), socket);
    }
}
