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
                locations:
                  /static/: current/flaskr/static
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
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);

        var second = await repo.CommitAsync("a note of the user's", ("DEPLOYED.txt", "deployed with hoist\n"));
        var redeploy = await stack.HoistAsync(FlaskrApp, "deploy");
        Show("redeploy", redeploy);
        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
        var after = await http.GetStringAsync("");
        var host = await stack.Testbed.SshAsync("web1",
            $"cat {FlaskrDeployTo}/current/REVISION; readlink {FlaskrDeployTo}/current/instance; ls {FlaskrDeployTo}/shared/instance; " +
            $"stat -c '%U %a' {FlaskrDeployTo}/shared/instance/flaskr.sqlite; ls {FlaskrDeployTo}/releases | wc -l; " +
            "ps -o args= -u flaskr | grep -c '/venv/bin/python' || true");
        output.WriteLine($"after the redeploy ({first[..8]} -> {second[..8]}): GET / has the post: {after.Contains("Hoisted", StringComparison.Ordinal)}\nweb1: {host.Stdout.Trim().Replace('\n', ';')}");
        Assert.Contains("Hoisted", after, StringComparison.Ordinal);
        var lines = host.Stdout.Trim().Split('\n');
        Assert.Equal(second, lines[0]);
        Assert.Equal($"{FlaskrDeployTo}/shared/instance", lines[1]);
        Assert.Equal("flaskr.sqlite", lines[2]);
        Assert.StartsWith("flaskr ", lines[3], StringComparison.Ordinal);
        Assert.Equal("2", lines[4]);
        // Both workers run under the release's venv python (the master, hoist serve, is .NET).
        Assert.True(int.Parse(lines[5], System.Globalization.CultureInfo.InvariantCulture) >= 2, host.Stdout);
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
