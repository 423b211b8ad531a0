namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class ListenBuilderTests
{
    [Theory]
    [InlineData("socket = /run/app.sock", "unix:/run/app.sock")]
    [InlineData("socket = unix:/run/app.sock", "unix:/run/app.sock")]
    [InlineData("socket = app.sock", "unix:/srv/app/conf/app.sock")]
    [InlineData("socket = ../run/app", "unix:/srv/app/run/app")]
    [InlineData("socket = ~/app.sock", "unix:/home/me/app.sock")]
    [InlineData("http-socket = 127.0.0.1:8000", "127.0.0.1:8000")]
    [InlineData("http-socket = :8000", "0.0.0.0:8000")]
    [InlineData("socket = [::1]:8000", "[::1]:8000")]
    public void Reads_ListenAddress(string line, string expected)
    {
        Assert.Equal(expected, Load(line).Listen.ToString());
    }

    [Fact]
    public void Rejects_SocketAndHttpSocket()
    {
        Assert.Equal(
            "app.ini:3:15: http-socket: 'socket' and 'http-socket' are both set; keep one (Hoist speaks HTTP on either)",
            TestIni.Single("[uwsgi]\nsocket = /run/app.sock\nhttp-socket = :8000\ncommand = x\n"));
    }

    [Fact]
    public void Rejects_MissingListen_AtSection()
    {
        Assert.Equal(
            "app.ini:2:1: socket: nowhere to listen; set 'socket' to a socket path (/run/myapp.sock) or to host:port (127.0.0.1:8000)",
            TestIni.Single("; app\n[uwsgi]\ncommand = x\n"));
    }

    [Fact]
    public void Rejects_NeitherPathNorHostPort()
    {
        Assert.Equal(
            "app.ini:2:15: http-socket: 'localhost' is neither a socket path (/run/app.sock) nor host:port (127.0.0.1:8000)",
            TestIni.Single("[uwsgi]\nhttp-socket = localhost\ncommand = x\n"));
    }

    [Theory]
    [InlineData("664", 0b110_110_100)]
    [InlineData("0660", 0b110_110_000)]
    [InlineData("777", 0b111_111_111)]
    public void Reads_OctalMode(string mode, int expected)
    {
        Assert.Equal((UnixFileMode)expected, Load($"socket = /run/app.sock\nchmod-socket = {mode}").SocketMode);
    }

    [Theory]
    [InlineData("668")]
    [InlineData("rw-rw-r--")]
    [InlineData("66")]
    [InlineData("10664")]
    public void Rejects_BadOctal(string mode)
    {
        Assert.Equal(
            $"app.ini:3:16: chmod-socket: '{mode}' is not a file mode; write it in octal, such as 664 or 0660",
            TestIni.Single($"[uwsgi]\nsocket = /run/app.sock\nchmod-socket = {mode}\ncommand = x\n"));
    }

    [Fact]
    public void Rejects_ChmodSocket_OnTcp()
    {
        Assert.Equal(
            "app.ini:4:16: chmod-socket: 'chmod-socket' only applies to a unix socket; remove it, or listen on a socket path",
            TestIni.Single(TestIni.With("chmod-socket = 664\n")));
    }

    [Fact]
    public void Defaults_ControlSocket_BesideUnixSocket()
    {
        Assert.Equal("/run/app.sock.ctl", Load("socket = /run/app.sock").ControlSocket);
    }

    [Fact]
    public void Defaults_ControlSocket_ByTcpPort_InAFolderOfTheUsersOwn()
    {
        // Not /tmp itself, where any user could listen first.
        var uid = Hoist.Serve.Native.EffectiveUid();
        Assert.Equal(uid == 0 ? "/run/hoist/serve-8000.ctl" : $"/tmp/hoist-{uid}/serve-8000.ctl", Load("http-socket = 127.0.0.1:8000").ControlSocket);
    }

    [Fact]
    public void Resolves_ControlSocket_AgainstIniFolder()
    {
        Assert.Equal("/srv/app/conf/ctl.sock", Load("http-socket = :8000\ncontrol-socket = ctl.sock").ControlSocket);
    }

    [Theory]
    [InlineData("http-socket = :8000", false)]
    [InlineData("socket = /run/app.sock", false)]
    [InlineData("http-socket = :8000\ncontrol-socket = /run/app/ctl.sock", true)]
    [InlineData("socket = /run/app.sock\ncontrol-socket = /run/app.sock.ctl", true)]
    public void Marks_ControlSocket_Set_Only_When_Written(string lines, bool set)
    {
        Assert.Equal(set, Load(lines).ControlSocketSet);
    }

    private static ServeConfig Load(string lines) => TestIni.Valid($"[uwsgi]\n{lines}\ncommand = x\n");
}
