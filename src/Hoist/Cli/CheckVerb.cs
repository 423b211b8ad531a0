namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Check;

/// <summary><c>hoist check</c>.</summary>
internal static class CheckVerb
{
    public static readonly Option<bool> AcceptNewHostKeys = new("--accept-new-host-keys")
    {
        Description = "Record the keys of hosts not yet in known_hosts (after you have checked their fingerprints). A changed key, or a host named by a malformed known_hosts line, is still refused.",
    };

    public static Command Build()
    {
        var command = new Command("check",
            "Check the config, that every host is reachable with a trusted host key and has bash and tar; on hosts that get releases (every role but db and lb), " +
            "also git (git mode; hoist setup installs it; with fetch: local the branch is read on this machine instead) and a writable deploy_to (with setup:, one not made yet is setup's to make). Nothing is made on a host only in the db or lb role.")
        {
            GlobalOptions.Role, GlobalOptions.Host, AcceptNewHostKeys,
        };
        command.SetAction(VerbRunner.With(
            (context, parse, cancel) => new Checker(context).CheckAsync(GlobalOptions.SelectedHosts(context, parse), cancel),
            acceptNewHostKeys: true, announce: false));
        return command;
    }
}
