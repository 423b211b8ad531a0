namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Status;

/// <summary><c>hoist status [--json]</c>.</summary>
internal static class StatusVerb
{
    private static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of the table, and nothing else on stdout: {\"destination\", \"healthy\", \"hosts\": [one object per host: " +
            "host, healthy, reachable, problems, release, revision, deployed {at, by, what, destination}, unit, workers {ready, total, restarts, memory_bytes}, " +
            "health {path, answer, status}]}; a key is null when unknown or not asked",
    };

    public static Command Build()
    {
        var command = new Command("status",
            "One table for the fleet: per web host the live release and revision, who made it live and when (from .hoist/audit.log), " +
            "hoist serve's workers (ready/total, restarts, memory), the unit's state (systemctl is-active) and the answer nginx gives " +
            "to deploy.health_url now. Hosts are asked at once, one SSH exec channel each; a host that cannot be reached is a row saying so. " +
            "Under -d the destination is shown. It changes nothing. Exit codes: 0 every host healthy; 1 a host is unhealthy (unreachable, " +
            "no live release, unit not active, fewer workers ready than configured, hoist serve not answering, health not 2xx), each named " +
            "with why; 2 usage or config error.")
        {
            GlobalOptions.Role, GlobalOptions.Host, Json,
        };
        command.SetAction(VerbRunner.With(
            (context, parse, cancel) => new FleetStatus(context).ShowAsync(GlobalOptions.AppHosts(context, parse), parse.GetValue(Json), cancel),
            announce: false));
        return command;
    }
}
