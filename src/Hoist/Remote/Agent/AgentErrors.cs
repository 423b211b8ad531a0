namespace Hoist.Remote.Agent;

using Hoist.Core;

/// <summary>The wording of ssh-agent failures, in one place; each names SSH_AUTH_SOCK, where the agent was looked for.</summary>
internal static class AgentErrors
{
    public static HoistException Unreachable(string socket, string reason) => new(
        $"cannot talk to the ssh-agent at SSH_AUTH_SOCK={socket} ({reason}); " +
        "start one (eval \"$(ssh-agent)\" && ssh-add) or unset SSH_AUTH_SOCK");

    public static HoistException Garbled(string socket, string reason) => new(
        $"the ssh-agent at SSH_AUTH_SOCK={socket} sent a message Hoist cannot read ({reason}); " +
        "check that SSH_AUTH_SOCK points at an OpenSSH-compatible agent");

    public static HoistException Refused(string socket, AgentIdentity identity, string algorithm) => new(
        $"the ssh-agent at SSH_AUTH_SOCK={socket} refused to sign with its {identity.Display} ({algorithm}); " +
        "if the key needs confirmation (ssh-add -c) or a hardware token, approve the request, " +
        "otherwise check the key with ssh-add -l or set ssh.key to a key file");

    public static HoistException TimedOut(string socket, TimeSpan timeout) => new(
        $"the ssh-agent at SSH_AUTH_SOCK={socket} did not answer within {timeout.TotalSeconds:0} s; " +
        "if it is waiting for a confirmation or a PIN, answer it, otherwise restart the agent");
}
