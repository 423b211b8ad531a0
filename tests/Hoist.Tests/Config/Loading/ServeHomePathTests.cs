namespace Hoist.Tests.Config.Loading;

using Hoist.Serve.Config;

/// <summary>serve: paths name files on the hosts; '~/' there cannot be expanded on the deploying machine.</summary>
public sealed class ServeHomePathTests
{
    [Fact]
    public void Rejects_HomePath_For_Remote_Hosts()
    {
        Assert.Equal(
            "hoist.yml:9:17: serve.touch_reload: '~/app/reload' would be expanded on this machine, not on the hosts; write the absolute path on the hosts",
            TestConfig.Single(Yaml("[10.0.0.1]", "~/app/reload")));
    }

    [Fact]
    public void Accepts_HomePath_For_The_Local_Host_Which_Is_This_Machine()
    {
        Assert.Equal("/home/me/app/reload", TestConfig.Valid(Yaml("[local]", "~/app/reload")).Serve!.TouchReload);
    }

    [Fact]
    public void Accepts_AbsolutePath_For_Remote_Hosts()
    {
        Assert.IsType<CommandApp>(TestConfig.Valid(Yaml("[10.0.0.1]", "/srv/app/reload")).Serve!.App);
    }

    private static string Yaml(string web, string touchReload) => $"""
        app: demo
        repo: /srv/git/demo.git
        hosts:
          web: {web}
        serve:
          http_socket: 127.0.0.1:8000
          command: ~/bin/server
          chdir: /srv/app
          touch_reload: {touchReload}
        """;
}
