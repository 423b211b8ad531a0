namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;

/// <summary><c>hoist releases</c>.</summary>
internal static class ReleasesVerb
{
    public static Command Build()
    {
        var command = new Command("releases", "List each host's releases, newest first: `*` marks the current one, `bad` the rolled-back ones, `not committed` a current switched by a run killed before its commit.")
        {
            GlobalOptions.Role, GlobalOptions.Host,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new ReleaseLister(context).ListAsync(GlobalOptions.AppHosts(context, parse), cancel)));
        return command;
    }
}
