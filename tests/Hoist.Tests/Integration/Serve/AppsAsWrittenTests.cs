namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Python apps served as their authors wrote them, under gunicorn on hoist serve's socket, with nothing added to the
/// project: a Flask app built by its app factory (<c>module = flaskr:create_app(...)</c>), and a Django project as
/// Debian's <c>django-admin startproject</c> makes it (<c>module = mysite.wsgi</c>, callable application by default).
/// </summary>
public sealed class AppsAsWrittenTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Flaskr_Is_Served_From_Its_App_Factory_With_Its_Literal_Argument_Its_Blueprint_And_Its_Instance_Database()
    {
        using var dir = new TempDir("hoist-serve-flaskr");
        var app = ServeApps.CopyFlaskrApp(dir.Combine("flaskr-repo"));
        var (ini, socket) = WriteIni(dir, app, "/up", "module = flaskr:create_app('production')");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        using var added = await http.PostAsync("notes", new StringContent("first note"));
        using var about = JsonDocument.Parse(await http.GetStringAsync("about"));
        var notes = await http.GetStringAsync("notes");

        output.WriteLine($"POST /notes: {(int)added.StatusCode}; GET /notes: {notes.Trim()}; GET /about: {about.RootElement}");
        Assert.True(added.StatusCode == HttpStatusCode.Created, $"{(int)added.StatusCode}\n{serve.Log()}");
        Assert.Equal("[\"first note\"]", notes.Trim());
        // The factory was called with the argument as written, and Flask found the instance folder beside the package.
        Assert.Equal("production", about.RootElement.GetProperty("mode").GetString());
        Assert.Equal(Path.Combine(app, "instance"), about.RootElement.GetProperty("instance").GetString());
        Assert.True(File.Exists(Path.Combine(app, "instance", "notes.sqlite")));
    }

    [Fact]
    public async Task An_App_Factory_That_Raises_Fails_Daemon_Within_Seconds_With_The_Apps_Last_Lines()
    {
        using var dir = new TempDir("hoist-serve-flaskr-broken");
        var app = ServeApps.CopyFlaskrApp(dir.Combine("flaskr-repo"));
        var (ini, _) = WriteIni(dir, app, "/up", "module = flaskr:create_app()", "env = NOTES_BROKEN=1");
        Task<RunResult> Serve(params string[] args) => HoistCli.RunAsync(dir.Path, ["serve", "--ini", ini, .. args]);
        try
        {
            var clock = Stopwatch.StartNew();
            var daemon = await Serve("--daemon");
            var took = clock.Elapsed;

            output.WriteLine($"--daemon with a raising factory: exit {daemon.ExitCode} in {took.TotalSeconds:0.0} s\n{daemon.Stderr}");
            Assert.True(daemon.ExitCode == 1, daemon.ToString());
            Assert.Contains("before becoming ready", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains("in create_app", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains("RuntimeError: flaskr: NOTES_BROKEN is set, refusing to build the app", daemon.Stderr, StringComparison.Ordinal);
            Assert.True(took < TimeSpan.FromSeconds(30), $"--daemon took {took.TotalSeconds:0.0} s: it waited ready-timeout");
        }
        finally
        {
            var stop = await Serve("--stop");
            output.WriteLine($"--stop: {stop.Stdout.Trim()}");
        }
    }

    [Fact]
    public async Task A_Django_Project_From_Startproject_Is_Served_By_Module_Mysite_Wsgi_And_Its_Allowed_Hosts_Apply()
    {
        using var dir = new TempDir("hoist-serve-django");
        var created = await Run.ProcessAsync("django-admin", ["startproject", "mysite"], dir.Path);
        Assert.True(created.ExitCode == 0, created.ToString());
        var project = dir.Combine("mysite");
        // The health check asks with Host: localhost (healthcheck-host's default), which a new project's
        // ALLOWED_HOSTS (empty, DEBUG on) accepts; a deployed one lists its site and sets healthcheck-host to it.
        var (ini, socket) = WriteIni(dir, project, "/admin/login/", "module = mysite.wsgi");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);
        http.DefaultRequestHeaders.Host = "localhost";
        using var other = UnixHttp.Create(socket);

        var welcome = await http.GetStringAsync("");
        using var login = await http.GetAsync("admin/login/");
        using var refused = await other.GetAsync("admin/login/");

        var title = welcome.Split("<title>").ElementAtOrDefault(1)?.Split("</title>")[0];
        output.WriteLine($"GET / (Host: localhost): {title}; GET /admin/login/: {(int)login.StatusCode}; with Host: app.test: {(int)refused.StatusCode}");
        Assert.Contains("The install worked successfully!", welcome, StringComparison.Ordinal);
        Assert.True(login.StatusCode == HttpStatusCode.OK, $"{(int)login.StatusCode}\n{serve.Log()}");
        Assert.Contains("Django site admin", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Threads_4_Lets_One_Worker_Serve_4_Slow_Requests_At_Once_On_Hoist_Serves_Socket()
    {
        using var dir = new TempDir("hoist-serve-threads");
        var app = ServeApps.CopyFlaskrApp(dir.Combine("flaskr-repo"));
        var (ini, socket) = WriteIni(dir, app, "/up", "module = flaskr:create_app()", "threads = 4", "processes = 1");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 1, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var slow = JsonDocument.Parse(await http.GetStringAsync("slow?ms=1500"));
            return (Pid: slow.RootElement.GetProperty("pid").GetInt32(), Thread: slow.RootElement.GetProperty("thread").GetInt64());
        }));
        var took = clock.Elapsed;
        using var about = JsonDocument.Parse(await http.GetStringAsync("about"));

        output.WriteLine($"4 x GET /slow?ms=1500 on 1 worker with threads = 4: {took.TotalSeconds:0.00} s; pids {string.Join(", ", answers.Select(a => a.Pid).Distinct())}; {answers.Select(a => a.Thread).Distinct().Count()} threads; wsgi.multithread {about.RootElement.GetProperty("multithread")}");
        Assert.Single(answers.Select(a => a.Pid).Distinct());
        Assert.Equal(4, answers.Select(a => a.Thread).Distinct().Count());
        // One at a time they would take 6 s; side by side, 1.5 s and the overhead.
        Assert.True(took < TimeSpan.FromSeconds(4), $"took {took.TotalSeconds:0.00} s\n{serve.Log()}");
        Assert.True(about.RootElement.GetProperty("multithread").GetBoolean());
    }

    [Fact]
    public async Task A_Venv_With_System_Site_Packages_Runs_The_Workers_Under_Its_Own_Python()
    {
        using var dir = new TempDir("hoist-serve-venv");
        var app = ServeApps.CopyFlaskrApp(dir.Combine("flaskr-repo"));
        var made = await Run.ProcessAsync("/usr/bin/python3", ["-m", "venv", "--system-site-packages", Path.Combine(app, "venv")]);
        Assert.True(made.ExitCode == 0, made.ToString());
        var (ini, socket) = WriteIni(dir, app, "/up", "module = flaskr:create_app()", "venv = venv");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        using var about = JsonDocument.Parse(await http.GetStringAsync("about"));

        output.WriteLine($"venv = venv: GET /about: {about.RootElement}");
        Assert.Equal(Path.Combine(app, "venv"), about.RootElement.GetProperty("prefix").GetString());
        Assert.Equal(Path.Combine(app, "venv", "bin", "python"), about.RootElement.GetProperty("executable").GetString());
    }

    private static (string Ini, string Socket) WriteIni(TempDir dir, string chdir, string healthCheck, params string[] more)
    {
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]", $"socket = {socket}", .. more.Any(m => m.StartsWith("processes", StringComparison.Ordinal)) ? Array.Empty<string>() : ["processes = 2"], $"chdir = {chdir}", $"healthcheck = {healthCheck}", "ready-timeout = 20",
            $"logto = {dir.Combine("serve.log")}", .. more, ""]));
        return (ini, socket);
    }
}
