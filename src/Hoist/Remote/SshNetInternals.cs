namespace Hoist.Remote;

using System.Reflection;
using Hoist.Core;
using Renci.SshNet;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Connection;

/// <summary>
/// The SSH.NET members that <see cref="OpenSshKeepAlive"/> reaches by reflection, looked up on first use and checked:
/// when SSH.NET's internals change, hoist says what is missing and how to connect anyway, before any connection opens.
/// </summary>
internal sealed record SshNetInternals(PropertyInfo Session, ConstructorInfo GlobalRequest, MethodInfo SendMessage)
{
    private const BindingFlags Hidden = BindingFlags.Instance | BindingFlags.NonPublic;

    // Not a static field initializer: one that throws reaches the user as "The type initializer ... threw an exception".
    private static readonly Lazy<SshNetInternals> Pinned = new(() => Find());

    /// <summary>The members of the SSH.NET version Hoist is built with; throws a <see cref="HoistException"/> if one is missing.</summary>
    public static SshNetInternals Get() => Pinned.Value;

    /// <summary>Looks the members up; the names are parameters only so that a test can ask for one that does not exist.</summary>
    internal static SshNetInternals Find(string sessionProperty = "Session", string sendMethod = "SendMessage") => new(
        typeof(BaseClient).GetProperty(sessionProperty, Hidden) ?? throw Missing($"BaseClient.{sessionProperty}"),
        typeof(GlobalRequestMessage).GetConstructor(Hidden, [typeof(byte[]), typeof(bool)]) ?? throw Missing("GlobalRequestMessage(byte[], bool)"),
        typeof(Session).GetMethod(sendMethod, Hidden, [typeof(Message)]) ?? throw Missing($"Session.{sendMethod}(Message)"));

    public static HoistException Missing(string what) =>
        new($"SSH.NET {typeof(BaseClient).Assembly.GetName().Version} has no {what} (its version changed?), which Hoist's SSH keep-alives " +
            "need (see Remote/OpenSshKeepAlive.cs); nothing was done on any host. To connect without keep-alives, set " +
            "`ssh: { keepalive_interval: 0 }` in hoist.yml (a host that goes silent is then waited for without end), " +
            "or use a Hoist built with the SSH.NET version it pins in Directory.Packages.props");
}
