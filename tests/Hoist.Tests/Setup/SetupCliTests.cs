namespace Hoist.Tests.Setup;

using Hoist.Tests.Support;

/// <summary>hoist setup's checks that come before any host is contacted (the hosts here do not exist).</summary>
public sealed class SetupCliTests
{
    private const string Base = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        hosts:
          web: root@192.0.2.10
          db: root@192.0.2.11
        serve:
          chdir: /srv/myproject/current
          wsgi_file: wsgi.py
          callable: app
        """;

    [Theory]
    [InlineData("  socket: /srv/myproject/shared/app.sock\nsetup: {}", "serve.socket is /srv/myproject/shared/app.sock; with hoist setup it goes in a folder of /srv/myproject/shared/")]
    [InlineData("  socket: /run/myproject/app.sock\nsetup: {}", "serve.socket is /run/myproject/app.sock; with hoist setup it goes in a folder of /srv/myproject/shared/")]
    [InlineData("  socket: /srv/myproject/shared/run/app.sock\n  logto: /var/log/myproject.log\nsetup: {}", "serve.logto is /var/log/myproject.log")]
    [InlineData("  http_socket: 127.0.0.1:8000\n  control_socket: /run/myproject/ctl.sock\nsetup: {}", "serve.control_socket is /run/myproject/ctl.sock; with hoist setup it goes in a folder of /srv/myproject/shared/")]
    [InlineData("  socket: /srv/myproject/shared/run/app.sock", "has no setup: section, so there is nothing to set up")]
    public async Task Paths_Setup_Cannot_Serve_Are_Refused_Before_Any_Host_Is_Contacted(string tail, string expected)
    {
        using var dir = new TempDir("hoist-setup-cli");
        dir.Write("hoist.yml", Base + "\n" + tail + "\n");

        var result = await HoistCli.RunAsync(dir.Path, "setup");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("setup: {}", "--rotate-secret SECRET_KEY: not in setup.secrets, which is empty; list the names setup generates under setup: as `secrets: [SECRET_KEY]`")]
    [InlineData("setup:\n  secrets: [SECRET_KEY, SALT]", "--rotate-secret NOPE: not in setup.secrets, which lists SECRET_KEY, SALT")]
    public async Task Rotate_Secret_Of_A_Name_Not_In_Setup_Secrets_Is_Refused_Before_Any_Host_Is_Contacted(string tail, string expected)
    {
        using var dir = new TempDir("hoist-setup-cli");
        dir.Write("hoist.yml", Base + "\n  socket: /srv/myproject/shared/run/app.sock\n" + tail + "\n");

        var result = await HoistCli.RunAsync(dir.Path, "setup", "--rotate-secret", expected.Contains("NOPE", StringComparison.Ordinal) ? "NOPE" : "SECRET_KEY", "--rotate-secret", "SECRET_KEY");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2", result.Stderr, StringComparison.Ordinal);
    }
}
