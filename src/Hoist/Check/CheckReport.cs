namespace Hoist.Check;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What a host's check (<see cref="Checker.Build"/>) reports besides its problems, which it prints for people.</summary>
/// <param name="DeployToMissing">deploy_to does not exist yet, which with setup: is setup's to make, not a problem.</param>
internal sealed record CheckReport(bool DeployToMissing)
{
    private const string Missing = "missing";

    private static readonly ReportKey DeployToKey = new("deploy_to");

    /// <summary>The line that says deploy_to is missing, in a script that set <see cref="ReportKey.AssignPrefix"/>.</summary>
    public static string EchoDeployToMissing() => DeployToKey.EchoViaPrefix(Missing);

    public static CheckReport Read(HostRun run) => new(DeployToKey.Last(run) == Missing);
}
