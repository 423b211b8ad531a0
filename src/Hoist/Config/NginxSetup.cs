namespace Hoist.Config;

/// <summary>The nginx site in front of hoist serve.</summary>
/// <param name="Locations">URL prefix to folder (under deploy_to unless absolute), served by nginx from disk.</param>
internal sealed record NginxSetup(
    string ServerName,
    int Listen,
    IReadOnlyList<KeyValuePair<string, string>> Locations,
    string ClientMaxBodySize,
    bool RemoveDefaultSite)
{
    /// <summary>The first name of server_name that names one host (not _, a *. wildcard or a ~regex); null if none.</summary>
    public string? FirstHostName => ServerName.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .FirstOrDefault(name => name != "_" && !name.StartsWith('~') && !name.Contains('*', StringComparison.Ordinal));
}
