namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Serve.Config;
using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Serve.Config;

public sealed class PythonReaderTests
{
    private const string Serve = """

        serve:
          http_socket: 127.0.0.1:8000
          chdir: /srv/demo/current
          module: flaskr:create_app()
        """;

    [Fact]
    public void Reads_Venv_Requirements_And_System_Site_Packages()
    {
        var config = TestConfig.Valid(TestConfig.Minimal + "\npython: { venv: true, requirements: requirements/prod.txt, system_site_packages: true }");

        Assert.Equal(new PythonConfig(true, "requirements/prod.txt", true), config.Python);
    }

    [Fact]
    public void No_Python_Is_None() => Assert.Null(TestConfig.Valid(TestConfig.Minimal).Python);

    [Theory]
    [InlineData("/srv/req.txt", "hoist.yml:5:37: python.requirements: '/srv/req.txt' must be relative to the release (the repository's root); did you mean 'srv/req.txt'?")]
    [InlineData("../req.txt", "hoist.yml:5:37: python.requirements: '../req.txt' must not contain '..'; the requirements file is one of the release's")]
    [InlineData("a//b.txt", "hoist.yml:5:37: python.requirements: 'a//b.txt' is not a clean relative path; write it like requirements.txt or requirements/prod.txt")]
    public void Rejects_A_Requirements_File_Outside_The_Release(string file, string expected) =>
        Assert.Equal(expected, TestConfig.Single(TestConfig.Minimal + $"\npython: {{ venv: true, requirements: '{file}' }}"));

    [Fact]
    public void Refuses_Requirements_Without_A_Venv_Rather_Than_Ignoring_Them() =>
        Assert.Equal(
            "hoist.yml:5:11: python.requirements: python.requirements applies to the release's virtualenv, and python.venv is not true; add venv: true to python:, or remove requirements",
            TestConfig.Single(TestConfig.Minimal + "\npython: { requirements: requirements.txt }"));

    [Fact]
    public void Rejects_Unknown_Keys_And_Non_Booleans()
    {
        var errors = TestConfig.Errors(TestConfig.Minimal + "\npython: { venv: yes please, requirement: r.txt }");

        Assert.Equal(
            [
                "hoist.yml:5:29: python.requirement: unknown key 'requirement'; did you mean 'requirements'?",
                "hoist.yml:5:17: python.venv: expected true or false, got 'yes please'",
            ],
            errors.OrderByDescending(e => e.Contains("requirement:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Venv_Makes_The_Workers_Run_The_Release_Venv_In_Chdir()
    {
        var config = TestConfig.Valid(TestConfig.Minimal + "\npython: { venv: true }" + Serve);

        Assert.Equal("/srv/demo/current/venv", ((WsgiApp)config.Serve!.App).Venv);
    }

    [Fact]
    public void Serve_Venv_Set_Wins_And_No_Python_Leaves_The_Host_Python()
    {
        Assert.Equal("/opt/env", ((WsgiApp)TestConfig.Valid(TestConfig.Minimal + "\npython: { venv: true }" + Serve + "\n  venv: /opt/env").Serve!.App).Venv);
        Assert.Null(((WsgiApp)TestConfig.Valid(TestConfig.Minimal + Serve).Serve!.App).Venv);
    }

    [Fact]
    public void Hoist_Serve_Reading_Hoist_Yml_Picks_The_Venv_Up_Too()
    {
        var result = ServeConfigLoader.LoadYaml("python: { venv: true }" + Serve, "hoist.yml", "/srv/demo/current/hoist.yml", TestIni.Environment());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal("/srv/demo/current/venv", ((WsgiApp)result.Config.App).Venv);
    }

    [Fact]
    public void Setup_Writes_The_Venv_Into_Serve_Ini()
    {
        var config = TestConfig.Valid(TestConfig.Minimal + "\npython: { venv: true }" + Serve);

        Assert.Contains("\nvenv = /srv/demo/current/venv\n", ServeIniFile.Render("demo", config.Serve!, "/srv/demo/shared/.env"), StringComparison.Ordinal);
    }
}
