namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// An ASGI release that cannot serve fails a reload as a WSGI one does, the old workers serving on: an import error
/// with the traceback's last lines, a health path that answers 404 with what it answered.
/// </summary>
public sealed class AsgiFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Release_Whose_Import_Fails_Fails_The_Reload_With_The_Tracebacks_Last_Lines()
    {
        using var dir = new TempDir("hoist-asgi-import");
        var (reload, serve, log) = await ReloadOntoAsync(dir, "import no_such_module_of_the_app\n", "");
        await using var _ = serve;

        output.WriteLine($"--reload onto a release that cannot import: exit {reload.ExitCode}\n{reload.Stderr}");
        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("exited with status 1 before becoming ready", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("ModuleNotFoundError: No module named 'no_such_module_of_the_app'", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("old workers keep serving", reload.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("rev-A ", await log.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Release_Whose_Health_Path_Answers_404_Fails_The_Reload_Saying_So()
    {
        using var dir = new TempDir("hoist-asgi-health");
        var (reload, serve, log) = await ReloadOntoAsync(dir, "", "\napp.routes[:] = [r for r in app.routes if r.path != '/up']\n");
        await using var _ = serve;

        output.WriteLine($"--reload onto a release failing its health check: exit {reload.ExitCode}\n{reload.Stderr}");
        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("failed its health check: /up answered 404 Not Found", reload.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("rev-A ", await log.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Release_Whose_Raw_Asgi_App_Raises_In_Its_Lifespan_Startup_Fails_The_Reload_With_The_Traceback()
    {
        // An app without a framework's lifespan handling: it takes lifespan.startup and raises, answering nothing.
        // uvicorn's lifespan "auto" read that as "lifespan unsupported" and the release went live without its startup.
        using var dir = new TempDir("hoist-asgi-lifespan-raise");
        var raw = "\n_starlette = app\n\n\nasync def app(scope, receive, send):\n    if scope['type'] == 'lifespan':\n" +
            "        await receive()\n        raise RuntimeError('cannot reach redis at startup')\n    await _starlette(scope, receive, send)\n";
        var (reload, serve, log) = await ReloadOntoAsync(dir, "", raw);
        await using var _ = serve;

        output.WriteLine($"--reload onto a raw ASGI app whose lifespan startup raises: exit {reload.ExitCode}\n{reload.Stderr}");
        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("RuntimeError: cannot reach redis at startup", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("old workers keep serving", reload.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("rev-A ", await log.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Release_Whose_Lifespan_Startup_Hangs_Fails_The_Reload_At_Ready_Timeout_Not_After_The_Mercy_Time_Too()
    {
        using var dir = new TempDir("hoist-asgi-lifespan-hang");
        var hang = "\nimport asyncio as _asyncio\n\n\nasync def _hang():\n    await _asyncio.sleep(600)\n\n\napp.router.on_startup.append(_hang)\n";
        var clock = Stopwatch.StartNew();
        var (reload, serve, log) = await ReloadOntoAsync(dir, "", hang, ["ready-timeout = 3", "worker-reload-mercy = 20"]);
        var took = clock.Elapsed;
        await using var _ = serve;

        output.WriteLine($"--reload onto a release whose lifespan startup hangs (ready-timeout 3 s, mercy 20 s): exit {reload.ExitCode} after {took.TotalSeconds:F1} s (with the start of release A)\n{reload.Stderr}");
        output.WriteLine(serve.Log().Split('\n').FirstOrDefault(l => l.Contains("lifespan startup", StringComparison.Ordinal)) ?? "(no line names the lifespan startup)");
        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("not ready after 3 s", reload.Stderr, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(15), $"the reload failed only after {took}\n{serve.Log()}");
        Assert.Contains("stopped while the app's lifespan startup was still running", serve.Log(), StringComparison.Ordinal);
        Assert.StartsWith("rev-A ", await log.GetStringAsync("/"), StringComparison.Ordinal);
    }

    /// <summary>Serves release A (the Starlette app), then reloads onto B: the same app between <paramref name="prepend"/> and <paramref name="append"/>.</summary>
    private static async Task<(RunResult Reload, ServeProcess Serve, HttpClient Http)> ReloadOntoAsync(TempDir dir, string prepend, string append, string[]? settings = null)
    {
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var source = ServeApps.CopyAsgiApp(dir.Combine("app"));
        await layout.AddReleaseAsync("A", source);
        var b = await layout.AddReleaseAsync("B", source);
        await File.WriteAllTextAsync(Path.Combine(b, "app.py"), prepend + await File.ReadAllTextAsync(Path.Combine(b, "app.py")) + append);
        await layout.SwitchAsync("A");
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]", $"socket = {socket}", "processes = 2", $"chdir = {layout.Current}", "asgi = app:app", "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}", .. settings ?? ["worker-reload-mercy = 5"], ""]));
        var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await layout.SwitchAsync("B");
        var reload = await serve.CliAsync("--reload");
        return (reload, serve, UnixHttp.Create(socket));
    }
}
