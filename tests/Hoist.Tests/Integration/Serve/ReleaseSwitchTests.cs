namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// examples/flask's shape (<c>chdir: …/current</c>, <c>wsgi-file: wsgi.py</c>, a package whose templates sit beside
/// its code): `deploy` moves `current` before it reloads, so for a while old workers run beside a link to new files.
/// Every answer must come wholly from one release: code, lazily imported modules and templates.
/// </summary>
public sealed class ReleaseSwitchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_Request_During_And_After_A_Switch_Of_Current_Is_Answered_Wholly_By_One_Release_For_Flask_With_Chdir_Current()
    {
        using var dir = new TempDir("hoist-switch");
        var socket = dir.Combine("app.sock");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        foreach (var id in new[] { "A", "B" })
        {
            await layout.AddReleaseAsync(id, WriteShop(dir.Combine("src-" + id), id));
        }

        await layout.SwitchAsync("A");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {layout.Current}",
            "wsgi-file = wsgi.py",
            "callable = app",
            "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}",
            $"env = GATE={dir.Path}",
            ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        // In flight across the switch: it imports its module and renders its template only once `current` is B.
        var during = http.GetAsync("held");
        await WaitForFileAsync(dir.Combine("held-started"));
        await layout.SwitchAsync("B");
        File.WriteAllText(dir.Combine("held-go"), "");
        var heldAnswer = await Describe(await during);

        // Old workers after the switch, with nothing of theirs imported or rendered before it.
        var afterSwitch = await AskEachAsync(http, ["page", "lazy", "about"], times: 6);
        var reload = await serve.CliAsync("--reload");
        var afterReload = await AskEachAsync(http, ["page", "lazy", "about"], times: 6);

        output.WriteLine($"in flight during the switch: {heldAnswer}");
        output.WriteLine($"after the switch, old workers (6 x each path):\n  {string.Join("\n  ", afterSwitch)}");
        output.WriteLine($"--reload: {reload.ExitCode}; after it:\n  {string.Join("\n  ", afterReload)}");

        Assert.Equal("200 code A lazy A template A", heldAnswer);
        Assert.All(afterSwitch.Where(a => a.StartsWith("/page", StringComparison.Ordinal)), a => Assert.EndsWith("200 code A template A", a, StringComparison.Ordinal));
        Assert.All(afterSwitch.Where(a => a.StartsWith("/lazy", StringComparison.Ordinal)), a => Assert.EndsWith("200 code A lazy A", a, StringComparison.Ordinal));
        Assert.All(afterSwitch.Where(a => a.StartsWith("/about", StringComparison.Ordinal)), a => Assert.EndsWith(" 404", a, StringComparison.Ordinal));
        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.All(afterReload.Where(a => a.StartsWith("/page", StringComparison.Ordinal)), a => Assert.EndsWith("200 code B template B /about", a, StringComparison.Ordinal));
        Assert.All(afterReload.Where(a => a.StartsWith("/lazy", StringComparison.Ordinal)), a => Assert.EndsWith("200 code B lazy B", a, StringComparison.Ordinal));
        Assert.All(afterReload.Where(a => a.StartsWith("/about", StringComparison.Ordinal)), a => Assert.EndsWith("200 about B", a, StringComparison.Ordinal));
    }

    /// <summary>
    /// One release of a small Flask app: a package (templates found from its own file, as examples/flask's are), a
    /// module imported only at its first use, and in B a route and template that A does not know.
    /// </summary>
    private static string WriteShop(string root, string id)
    {
        void Write(string relative, string text)
        {
            var file = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text.Replace("@ID@", id, StringComparison.Ordinal));
        }

        var about = id == "B" ? """

                @app.route("/about")
                def about():
                    return render_template("about.html")

            """ : "";
        Write("wsgi.py", "from shop import create\n\napp = create()\n");
        Write("shop/lazy.py", "RELEASE = \"@ID@\"\n");
        Write("shop/templates/page.html", id == "B" ? "template B {{ url_for('about') }}" : "template A");
        Write("shop/templates/about.html", "about @ID@");
        Write("shop/__init__.py", $$"""
            import os
            import time

            from flask import Flask, render_template

            RELEASE = "@ID@"


            def create():
                app = Flask(__name__)

                @app.route("/up")
                def up():
                    return "ok\n"

                @app.route("/page")
                def page():
                    return "code %s %s" % (RELEASE, render_template("page.html"))

                @app.route("/lazy")
                def lazy():
                    from shop import lazy as module
                    return "code %s lazy %s" % (RELEASE, module.RELEASE)

                @app.route("/held")
                def held():
                    # Started before the test moves `current`; finishes (import, render) after it says go.
                    gate = os.environ["GATE"]
                    open(os.path.join(gate, "held-started"), "w").close()
                    deadline = time.monotonic() + 20
                    while not os.path.exists(os.path.join(gate, "held-go")) and time.monotonic() < deadline:
                        time.sleep(0.02)
                    from shop import lazy as module
                    return "code %s lazy %s %s" % (RELEASE, module.RELEASE, render_template("page.html"))
            {{about}}
                return app
            """);
        return root;
    }

    private static async Task<List<string>> AskEachAsync(HttpClient http, string[] paths, int times)
    {
        var answers = new List<string>();
        for (var i = 0; i < times; i++)
        {
            foreach (var path in paths)
            {
                answers.Add($"/{path}: {await Describe(await http.GetAsync(path))}");
            }
        }

        return answers;
    }

    private static async Task<string> Describe(HttpResponseMessage response)
    {
        var body = (await response.Content.ReadAsStringAsync()).Trim();
        var code = (int)response.StatusCode;
        return code == 404 ? "404" : $"{code} {(code == 200 ? body : body.Split('\n')[0])}";
    }

    private static async Task WaitForFileAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < Deadline, $"{path} never appeared");
            await Task.Delay(20);
        }
    }
}
