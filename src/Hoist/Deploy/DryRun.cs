namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Shell;

/// <summary>Prints the scripts a verb would run on each host, secrets redacted, and changes nothing.</summary>
internal static class DryRun
{
    public static int Print(RunContext context, IReadOnlyList<HostConfig> hosts, params Script[] scripts) =>
        Print(context, hosts, null, scripts);

    /// <param name="sent">What would be sent to every host (an upload's count and size), when anything is.</param>
    public static int Print(RunContext context, IReadOnlyList<HostConfig> hosts, string? sent, params Script[] scripts)
    {
        if (sent is not null)
        {
            context.Reporter.Info(sent);
        }

        foreach (var host in hosts)
        {
            context.Reporter.Info($"# {host.Display} ({(host.IsLocal ? "this machine" : "ssh " + host.Key)})");
            foreach (var script in scripts)
            {
                context.Reporter.Info($"## {script.Name}");
                context.Reporter.Info(script.Show());
            }
        }

        context.Reporter.Info("# dry run: nothing was changed; <values in angle brackets> are read from each host when it runs");
        return 0;
    }
}
