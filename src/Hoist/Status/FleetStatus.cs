namespace Hoist.Status;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// <c>hoist status</c>: every host asked at once, each over its own connection and one exec channel, so that a host
/// that cannot be reached is a row saying so rather than the end of the run. Exit 0 only when every host is healthy.
/// </summary>
internal sealed class FleetStatus(RunContext context)
{
    public async Task<int> ShowAsync(IReadOnlyList<HostConfig> hosts, bool json, CancellationToken cancel)
    {
        var rows = await Task.WhenAll(hosts.Select(h => AskAsync(h, cancel))).ConfigureAwait(false);
        var destination = context.Config.Destination;
        Console.Out.WriteLine(json ? StatusJson.Render(rows, destination) : Output.TerminalText.Clean(StatusTable.Render(rows, destination)));
        Console.Out.Flush();
        return rows.All(r => r.Healthy) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private async Task<HostStatus> AskAsync(HostConfig host, CancellationToken cancel)
    {
        Fleet fleet;
        try
        {
            fleet = await context.ConnectAsync([host], cancel).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HostStatusReport.Unreachable(host, error.Message);
        }

        await using (fleet.ConfigureAwait(false))
        {
            var runs = await fleet.RunAsync(_ => StatusScript.Build(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
            return HostStatusReport.Read(runs[0], context.Config);
        }
    }
}
