namespace Hoist.Remote;

using System.Reflection;
using Hoist.Core;
using Renci.SshNet;

/// <summary>
/// The SSH.NET members a command with a pseudo-terminal needs (<see cref="PtyChannel"/>): SSH.NET's public API gives
/// a pty only to a shell (<c>ShellStream</c>, no exit status), and an exit status only to a command without one
/// (<c>SshCommand</c>); its session channel, internal, does both: open, pty-req, exec, data, window-change, exit-status,
/// and a failure reply to the requests the host wants answered (sshd's ClientAliveInterval probes).
/// </summary>
internal sealed record ChannelMembers(
    PropertyInfo Session,
    MethodInfo CreateChannel,
    MethodInfo Open,
    MethodInfo PtyRequest,
    MethodInfo ExecRequest,
    MethodInfo WindowChange,
    MethodInfo SendData,
    MethodInfo SendEof,
    EventInfo DataReceived,
    EventInfo ExtendedDataReceived,
    EventInfo RequestReceived,
    EventInfo Closed,
    PropertyInfo RemoteChannelNumber,
    ConstructorInfo FailureMessage,
    MethodInfo SendMessage)
{
    private const BindingFlags Hidden = BindingFlags.Instance | BindingFlags.NonPublic;

    // Not a static field initializer: one that throws reaches the user as "The type initializer ... threw an exception".
    private static readonly Lazy<ChannelMembers> Pinned = new(() => Find());

    /// <summary>The members of the SSH.NET version Hoist is built with; throws a <see cref="HoistException"/> if one is missing.</summary>
    public static ChannelMembers Get() => Pinned.Value;

    /// <summary>Looks the members up; the name is a parameter only so that a test can ask for one that does not exist.</summary>
    internal static ChannelMembers Find(string execMethod = "SendExecRequest")
    {
        var assembly = typeof(BaseClient).Assembly;
        var session = assembly.GetType("Renci.SshNet.ISession") ?? throw Missing("ISession");
        var channelSession = assembly.GetType("Renci.SshNet.Channels.IChannelSession") ?? throw Missing("Channels.IChannelSession");
        var channel = assembly.GetType("Renci.SshNet.Channels.IChannel") ?? throw Missing("Channels.IChannel");
        MethodInfo Method(Type type, string name, params Type[] parameters) =>
            type.GetMethod(name, parameters) ?? throw Missing($"{type.Name}.{name}");
        EventInfo Event(string name) => channel.GetEvent(name) ?? throw Missing($"IChannel.{name}");
        var modes = typeof(IDictionary<,>).MakeGenericType(typeof(Renci.SshNet.Common.TerminalModes), typeof(uint));
        return new ChannelMembers(
            typeof(BaseClient).GetProperty("Session", Hidden) ?? throw Missing("BaseClient.Session"),
            Method(session, "CreateChannelSession"),
            Method(channelSession, "Open"),
            Method(channelSession, "SendPseudoTerminalRequest", typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(uint), modes),
            Method(channelSession, execMethod, typeof(string)),
            Method(channelSession, "SendWindowChangeRequest", typeof(uint), typeof(uint), typeof(uint), typeof(uint)),
            Method(channel, "SendData", typeof(byte[]), typeof(int), typeof(int)),
            Method(channel, "SendEof"),
            Event("DataReceived"),
            Event("ExtendedDataReceived"),
            Event("RequestReceived"),
            Event("Closed"),
            channel.GetProperty("RemoteChannelNumber") ?? throw Missing("IChannel.RemoteChannelNumber"),
            assembly.GetType("Renci.SshNet.Messages.Connection.ChannelFailureMessage")?.GetConstructor([typeof(uint)]) ?? throw Missing("ChannelFailureMessage(uint)"),
            Method(session, "SendMessage", typeof(Renci.SshNet.Messages.Message)));
    }

    private static HoistException Missing(string what) =>
        new($"SSH.NET {typeof(BaseClient).Assembly.GetName().Version} has no {what} (its version changed?), which hoist run needs " +
            "for a command with a terminal (see Remote/ChannelMembers.cs); nothing was run. Pipe its input (`... | hoist run -- CMD`) " +
            "to run it without a terminal, or use a Hoist built with the SSH.NET version it pins in Directory.Packages.props");
}
