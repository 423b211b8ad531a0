namespace Hoist.Tests.Serve;

using System.Net.Sockets;
using System.Text;
using Hoist.Serve;

/// <summary>The notifier against a real unix datagram socket, as systemd binds it.</summary>
[Collection(SystemdNotifierTests.Environment)]
public sealed class SystemdNotifierTests
{
    /// <summary>These tests set NOTIFY_SOCKET in this process: they never run beside each other.</summary>
    public const string Environment = "NOTIFY_SOCKET in the test process";

    [Theory]
    [InlineData("/run/systemd/notify", "/run/systemd/notify")]
    [InlineData("@hoist/notify", "\0hoist/notify")]
    public void Endpoint_Takes_A_Path_Or_An_Abstract_Name(string value, string path)
    {
        Assert.Equal(new UnixDomainSocketEndPoint(path), SystemdNotifier.Endpoint(value));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("@")]
    [InlineData("/")]
    [InlineData("vsock:2:1234")]
    public void Endpoint_Refuses_What_Is_Not_A_Unix_Address(string value)
    {
        Assert.Null(SystemdNotifier.Endpoint(value));
    }

    [Fact]
    public void Without_Notify_Socket_Nothing_Is_Sent()
    {
        System.Environment.SetEnvironmentVariable(SystemdNotifier.Variable, null);
        using var notifier = SystemdNotifier.FromEnvironment(TimeProvider.System, null);

        Assert.False(notifier.Enabled);
        notifier.Ready("ignored");
    }

    [Fact]
    public void Sends_Datagrams_To_An_Abstract_Socket_And_Takes_The_Variable_Out_Of_The_Environment()
    {
        var name = $"hoist-test-{Guid.NewGuid():N}";
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint("\0" + name));
        systemd.ReceiveTimeout = 5000;
        System.Environment.SetEnvironmentVariable(SystemdNotifier.Variable, "@" + name);

        using var notifier = SystemdNotifier.FromEnvironment(TimeProvider.System, null);
        notifier.Reloading("reloading");
        notifier.Ready("serving");

        Assert.True(notifier.Enabled);
        Assert.Null(System.Environment.GetEnvironmentVariable(SystemdNotifier.Variable));
        var buffer = new byte[4096];
        var reloading = NotifyMessage.Parse(Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
        var ready = NotifyMessage.Parse(Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
        Assert.Equal(["RELOADING", "MONOTONIC_USEC", "STATUS"], reloading.Select(p => p.Key));
        Assert.True(long.Parse(reloading[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal([new("READY", "1"), new("STATUS", "serving"), new("MAINPID", System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))], ready);
    }
}
