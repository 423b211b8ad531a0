namespace Hoist.Tests.Integration.Machines;

using System.Net;
using Hoist.Tests.Support;

/// <summary>
/// Flask's own tutorial app (flaskr, examples/tutorial of pallets/flask), unmodified, deployed from a repository whose
/// root is the tutorial's folder (what a user who followed the tutorial has) with a hoist.yml beside it and nothing
/// else: its app factory served by <c>module: flaskr:create_app()</c> under a release venv, its instance folder (the
/// sqlite database) kept across releases by <c>shared: [instance]</c>, its database made by its own CLI command.
/// </summary>
public sealed partial class AppStackTests
{
    private const string FlaskrApp = "flaskr";
    private const string FlaskrDeployTo = "/srv/flaskr";
    private const string FlaskrServerName = "flaskr.test";

    [FlaskrSourceFact]
    public async Task Flaskr_As_Flask_Wrote_It_Keeps_Its_Posts_In_Its_Instance_Folder_Across_A_Redeploy()
    {
        var (repo, url) = await stack.RepoAsync(FlaskrApp);
        await FlaskrSource.CopyToAsync(repo.Work);
        var first = await repo.CommitAsync($"flaskr from {FlaskrSource.Spec}");
        var yml = $"""
            app: {FlaskrApp}
            repo: {url}
            branch: main
            deploy_to: {FlaskrDeployTo}
            {stack.HostsAndSsh(db: false)}
            # Flask puts the instance folder (flaskr.sqlite) next to the package: release/instance, kept here.
            shared: [instance]
            # No PyPI on these hosts: flask comes from Debian's python3-flask, seen through the system site packages.
            python:
              venv: true
              system_site_packages: true
            serve:
              socket: {FlaskrDeployTo}/shared/run/app.sock
              workers: 2
              chdir: {FlaskrDeployTo}/current
              module: flaskr:create_app()
              healthcheck: /hello
              logto: {FlaskrDeployTo}/shared/log/serve.log
            setup:
              packages:
                web: [python3-flask, gunicorn]
              nginx:
                server_name: {FlaskrServerName}
            """;
        File.WriteAllText(Path.Combine(stack.AppDir(FlaskrApp), "hoist.yml"), yml);
        output.WriteLine($"hoist.yml:\n{yml}\n");

        var setup = await stack.HoistAsync(FlaskrApp, "setup");
        Show("setup", setup);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        var deploy = await stack.HoistAsync(FlaskrApp, "deploy");
        Show("deploy", deploy);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var init = await stack.HoistAsync(FlaskrApp, "run", "--", "flask", "--app", "flaskr", "init-db");
        Show("run -- flask --app flaskr init-db", init);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("Initialized the database.", init.Stdout, StringComparison.Ordinal);
        // The tutorial's "Deploy to Production": a SECRET_KEY in the instance folder's config.py (kept by shared:, 0600),
        // which the app factory reads; the workers take it at their next start (the redeploy below).
        var key = await stack.HoistAsync(FlaskrApp, "run", "--",
            "umask 077; python3 -c 'import secrets; print(\"SECRET_KEY = \" + repr(secrets.token_hex()))' > instance/config.py");
        Show("run -- (SECRET_KEY into instance/config.py)", key);
        Assert.True(key.ExitCode == 0, key.ToString());

        using var http = CookieClient(FlaskrServerName);
        using var register = await http.PostAsync("auth/register", Form(("username", "ada"), ("password", "lovelace")));
        using var login = await http.PostAsync("auth/login", Form(("username", "ada"), ("password", "lovelace")));
        using var create = await http.PostAsync("create", Form(("title", "Hoisted"), ("body", "written through nginx")));
        var index = await http.GetStringAsync("");
        using var css = await http.GetAsync("static/style.css");
        output.WriteLine($"POST /auth/register {(int)register.StatusCode} -> {register.Headers.Location}; POST /auth/login {(int)login.StatusCode} -> {login.Headers.Location}; " +
            $"POST /create {(int)create.StatusCode}; GET / has the post: {index.Contains("Hoisted", StringComparison.Ordinal)}; /static/style.css {(int)css.StatusCode}");
        Assert.Equal(HttpStatusCode.Found, register.StatusCode);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.Equal(HttpStatusCode.Found, create.StatusCode);
        Assert.Contains("Hoisted", index, StringComparison.Ordinal);
        Assert.Contains("by ada", index, StringComparison.Ordinal);
        // No setup.nginx.locations: flaskr's static/ is inside its package, not the default's current/static; nginx
        // misses it there and hands the request to Flask, which serves its own.
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(File.ReadAllText(Path.Combine(repo.Work, "flaskr", "static", "style.css")), await css.Content.ReadAsStringAsync());

        var second = await repo.CommitAsync("a note of the user's", ("DEPLOYED.txt", "deployed with hoist\n"));
        var redeploy = await stack.HoistAsync(FlaskrApp, "deploy");
        Show("redeploy", redeploy);
        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
        var after = await http.GetStringAsync("");
        // Under the instance's SECRET_KEY now: the old session cookie (signed with flaskr's default "dev") is no
        // longer a login, a new one is, and a post made with it lands beside the first.
        using var stale = await http.GetAsync("create");
        using var relogin = await http.PostAsync("auth/login", Form(("username", "ada"), ("password", "lovelace")));
        using var again = await http.PostAsync("create", Form(("title", "Hoisted again"), ("body", "after the redeploy")));
        var both = await http.GetStringAsync("");
        output.WriteLine($"after the redeploy: GET /create with the old cookie {(int)stale.StatusCode} -> {stale.Headers.Location}; login {(int)relogin.StatusCode}; POST /create {(int)again.StatusCode}; " +
            $"both posts: {both.Contains("Hoisted again", StringComparison.Ordinal) && both.Contains("written through nginx", StringComparison.Ordinal)}");
        Assert.Equal(HttpStatusCode.Found, stale.StatusCode);
        Assert.EndsWith("/auth/login", stale.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Contains("Hoisted again", both, StringComparison.Ordinal);
        Assert.Contains("written through nginx", both, StringComparison.Ordinal);
        var host = await stack.Testbed.SshAsync("web1",
            $"cat {FlaskrDeployTo}/current/REVISION; readlink {FlaskrDeployTo}/current/instance; ls {FlaskrDeployTo}/shared/instance; " +
            $"stat -c '%U %a' {FlaskrDeployTo}/shared/instance/flaskr.sqlite {FlaskrDeployTo}/shared/instance/config.py | tr '\\n' ' '; echo; ls {FlaskrDeployTo}/releases | wc -l; " +
            "ps -o args= -u flaskr | grep -c '/venv/bin/python' || true");
        output.WriteLine($"after the redeploy ({first[..8]} -> {second[..8]}): GET / has the post: {after.Contains("Hoisted", StringComparison.Ordinal)}\nweb1: {host.Stdout.Trim().Replace('\n', ';')}");
        Assert.Contains("Hoisted", after, StringComparison.Ordinal);
        var lines = host.Stdout.Trim().Split('\n');
        Assert.Equal(second, lines[0]);
        Assert.Equal($"{FlaskrDeployTo}/shared/instance", lines[1]);
        Assert.Equal("config.py", lines[2]);
        Assert.Equal("flaskr.sqlite", lines[3]);
        Assert.Equal("flaskr 644 flaskr 600", lines[4].Trim());
        Assert.Equal("2", lines[5]);
        // Both workers run under the release's venv python (the master, hoist serve, is .NET).
        Assert.True(int.Parse(lines[6], System.Globalization.CultureInfo.InvariantCulture) >= 2, host.Stdout);
    }

    /// <summary>A client of web1's nginx under an app's server_name that keeps the app's session cookie and does not follow redirects.</summary>
    private HttpClient CookieClient(string serverName)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"http://{stack.Address("web1")}/"), Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Host = serverName;
        return http;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
