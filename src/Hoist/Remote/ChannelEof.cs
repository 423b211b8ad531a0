namespace Hoist.Remote;

using System.Reflection;
using Hoist.Core;
using Renci.SshNet;

/// <summary>
/// Closes a command's stdin (SSH.NET's ChannelInputStream, whose Dispose sends SSH_MSG_CHANNEL_EOF) under the channel's
/// own messaging lock. SSH.NET (2026.0.0 still) checks that the channel is open, then takes that lock to send the EOF; a script
/// that ends before its stdin is closed (every `exit`, a lock found held) makes the server close the channel, and
/// SSH.NET answers that close with its own on its receive thread, under the same lock. When the close got the lock
/// between the check and the send, the EOF went out after the close: sshd disconnects at once ("ieof packet referred
/// to nonexistent channel 0"), and the next script on that host fails with "Client not connected" (2-4 connections
/// dropped in each failing run of the two-host tests on two busy cores). Holding the lock across the check and the send orders them: EOF before close, or none.
/// The stream sends no EOF at all when nothing was written to it (<c>hoist run -- cat &lt;/dev/null</c> waited for ever), so
/// then the EOF is the channel's own, sent under the same lock.
/// </summary>
internal sealed record ChannelEof(Type InputStream, FieldInfo Channel, FieldInfo MessagingLock, MethodInfo SendEof, PropertyInfo IsOpen)
{
    private const BindingFlags Hidden = BindingFlags.Instance | BindingFlags.NonPublic;

    // Not a static field initializer: one that throws reaches the user as "The type initializer ... threw an exception".
    private static readonly Lazy<ChannelEof> Pinned = new(() => Find());

    /// <summary>The members of the SSH.NET version Hoist is built with; throws a <see cref="HoistException"/> if one is missing.</summary>
    public static ChannelEof Get() => Pinned.Value;

    /// <summary>Disposes <paramref name="input"/>; an SSH.NET channel's stdin under its channel's messaging lock.</summary>
    public void Close(Stream input)
    {
        if (!InputStream.IsInstanceOfType(input) || Channel.GetValue(input) is not { } channel)
        {
            input.Dispose();
            return;
        }

        var gate = (Lock)MessagingLock.GetValue(channel)!;
        lock (gate)
        {
            // SSH.NET takes the same lock again to send the EOF (Lock is re-entrant), and marks the channel closed
            // under it, so the "is it open" it checks first is still true when the EOF is sent.
            if (input.Position == 0 && IsOpen.GetValue(channel) is true)
            {
                SendEof.Invoke(channel, null);
            }

            input.Dispose();
        }
    }

    /// <summary>Looks the members up; the names are parameters only so that a test can ask for one that does not exist.</summary>
    internal static ChannelEof Find(string channelField = "_channel", string lockField = "_messagingLock")
    {
        var assembly = typeof(BaseClient).Assembly;
        var inputStream = assembly.GetType("Renci.SshNet.Common.ChannelInputStream") ?? throw Missing("Common.ChannelInputStream");
        var channelType = assembly.GetType("Renci.SshNet.Channels.Channel") ?? throw Missing("Channels.Channel");
        var channel = inputStream.GetField(channelField, Hidden) ?? throw Missing($"ChannelInputStream.{channelField}");
        var messagingLock = channelType.GetField(lockField, Hidden) is { } field && field.FieldType == typeof(Lock)
            ? field
            : throw Missing($"Channel.{lockField} (a System.Threading.Lock)");
        var sendEof = channelType.GetMethod("SendEof", BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes) ?? throw Missing("Channel.SendEof()");
        var isOpen = channelType.GetProperty("IsOpen", BindingFlags.Instance | BindingFlags.Public) ?? throw Missing("Channel.IsOpen");
        return new ChannelEof(inputStream, channel, messagingLock, sendEof, isOpen);
    }

    private static HoistException Missing(string what) =>
        new($"SSH.NET {typeof(BaseClient).Assembly.GetName().Version} has no {what} (its version changed?), which Hoist needs to close " +
            "a script's input without racing the host's close of its channel (see Remote/ChannelEof.cs); nothing was done on any host. " +
            "Use a Hoist built with the SSH.NET version it pins in Directory.Packages.props");
}
