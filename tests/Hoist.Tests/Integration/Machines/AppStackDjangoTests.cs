namespace Hoist.Tests.Integration.Machines;

using System.Net;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>
/// A Django project as <c>django-admin startproject mysite</c> (Debian's python3-django) makes it, with only the lines
/// Django's deployment checklist asks for (SECRET_KEY, DEBUG, ALLOWED_HOSTS, STATIC_ROOT, the database) read from the
/// environment: served by <c>module: mysite.wsgi</c>, its key made by <c>setup.secrets</c>, its tables by
/// <c>migrate:</c> on PostgreSQL on db1, its static files collected by a build step and served by nginx.
/// </summary>
public sealed partial class AppStackTests
{
    private const string DjangoApp = "mysite";
    private const string DjangoDeployTo = "/srv/mysite";
    private const string DjangoServerName = "django.test";

    /// <summary>What a user adds at the end of the generated settings.py, as Django's deployment checklist advises.</summary>
    private const string DjangoSettings = """

        # Deployment: https://docs.djangoproject.com/en/3.2/howto/deployment/checklist/
        import os
        from urllib.parse import unquote, urlsplit

        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
        DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
        ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split()
        STATIC_ROOT = BASE_DIR / "static"
        if os.environ.get("DATABASE_URL"):
            _db = urlsplit(os.environ["DATABASE_URL"])
            DATABASES["default"] = {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": _db.path.lstrip("/"),
                "USER": unquote(_db.username or ""),
                "PASSWORD": unquote(_db.password or ""),
                "HOST": _db.hostname,
                "PORT": _db.port or 5432,
            }
        """;

    [Fact]
    public async Task Django_Startproject_Serves_Its_Admin_With_Static_Files_From_Nginx_And_A_Superuser_Made_By_Hoist_Run()
    {
        var (repo, url) = await stack.RepoAsync(DjangoApp);
        var made = await Run.ProcessAsync("django-admin", ["startproject", "mysite", "."], repo.Work);
        Assert.True(made.ExitCode == 0, made.ToString());
        var settings = Path.Combine(repo.Work, "mysite", "settings.py");
        File.AppendAllText(settings, DjangoSettings);
        await repo.CommitAsync("django-admin startproject mysite, settings from the environment");
        var yml = $"""
            app: {DjangoApp}
            repo: {url}
            branch: main
            deploy_to: {DjangoDeployTo}
            {stack.HostsAndSsh()}
            build:
              - python3 manage.py collectstatic --noinput
            migrate: python3 manage.py migrate --noinput
            serve:
              socket: {DjangoDeployTo}/shared/run/app.sock
              workers: 2
              chdir: {DjangoDeployTo}/current
              module: mysite.wsgi
              healthcheck: /admin/login/
              logto: {DjangoDeployTo}/shared/log/serve.log
              env:
                DJANGO_ALLOWED_HOSTS: {DjangoServerName}
            setup:
              packages:
                web: [python3-django, python3-psycopg2, gunicorn]
              secrets: [DJANGO_SECRET_KEY]
              nginx:
                server_name: {DjangoServerName}
            """;
        File.WriteAllText(Path.Combine(stack.AppDir(DjangoApp), "hoist.yml"), yml);
        output.WriteLine($"hoist.yml:\n{yml}\nadded to mysite/settings.py:{DjangoSettings}\n");

        var setup = await stack.HoistAsync(DjangoApp, "setup");
        Show("setup", setup);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        var deploy = await stack.HoistAsync(DjangoApp, "deploy");
        Show("deploy", deploy);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("static files copied to", deploy.Stdout, StringComparison.Ordinal);
        Assert.Contains("Applying auth.0001_initial... OK", deploy.Stdout, StringComparison.Ordinal);

        // The password reaches the host on hoist's stdin, read there into the variable createsuperuser --noinput reads.
        const string Password = "correct-horse-battery";
        var superuser = await Run.ProcessAsync("bash", ["-c", $"printf '%s\\n' \"$ADMIN_PASSWORD\" | '{stack.Hoist}' run -- " +
            "'read -r DJANGO_SUPERUSER_PASSWORD && export DJANGO_SUPERUSER_PASSWORD && python3 manage.py createsuperuser --noinput --username admin --email admin@example.com'"],
            stack.AppDir(DjangoApp), new Dictionary<string, string> { ["ADMIN_PASSWORD"] = Password, ["SSH_AUTH_SOCK"] = "", ["NO_COLOR"] = "1" }, TimeSpan.FromMinutes(3));
        Show("run -- createsuperuser --noinput", superuser);
        Assert.True(superuser.ExitCode == 0, superuser.ToString());
        Assert.Contains("Superuser created successfully.", superuser.Stdout, StringComparison.Ordinal);

        using var http = CookieClient(DjangoServerName);
        using var form = await http.GetAsync("admin/login/?next=/admin/");
        var page = await form.Content.ReadAsStringAsync();
        var cssPath = Regex.Match(page, "href=\"/(static/admin/css/[^\"]+\\.css)\"").Groups[1].Value;
        using var css = await http.GetAsync(cssPath);
        var token = Regex.Match(page, "name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var login = await http.PostAsync("admin/login/?next=/admin/", Form(("csrfmiddlewaretoken", token), ("username", "admin"), ("password", Password), ("next", "/admin/")));
        using var admin = await http.GetAsync("admin/");
        var adminPage = await admin.Content.ReadAsStringAsync();
        var staticServer = css.Headers.TryGetValues("Server", out var server) ? string.Join(' ', server) : "";
        output.WriteLine($"GET /admin/login/ {(int)form.StatusCode}; GET /{cssPath} {(int)css.StatusCode} {css.Content.Headers.ContentType} ({staticServer}); " +
            $"POST /admin/login/ {(int)login.StatusCode} -> {login.Headers.Location}; GET /admin/ {(int)admin.StatusCode}, 'Site administration': {adminPage.Contains("Site administration", StringComparison.Ordinal)}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Django site admin", page, StringComparison.Ordinal);
        Assert.NotEqual("", cssPath);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual("", token);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.Equal("/admin/", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Site administration", adminPage, StringComparison.Ordinal);

        // DEBUG is off (nothing set it), and the key is setup's, never printed.
        using var missing = await http.GetAsync("no-such-page/");
        var key = (await stack.Testbed.SshAsync("web1", $"sed -n 's/^DJANGO_SECRET_KEY=//p' {DjangoDeployTo}/shared/.env")).Stdout.Trim();
        output.WriteLine($"GET /no-such-page/ {(int)missing.StatusCode}; key in shared/.env: {key.Length} characters");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain("Page not found (404)", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(64, key.Length);
        Assert.DoesNotContain(key, setup.All + deploy.All + superuser.All, StringComparison.Ordinal);
    }
}
