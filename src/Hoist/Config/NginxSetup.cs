namespace Hoist.Config;

/// <summary>The nginx site in front of hoist serve.</summary>
/// <param name="Locations">URL prefix to folder (under deploy_to unless absolute), served by nginx from disk.</param>
internal sealed record NginxSetup(
    string ServerName,
    int Listen,
    IReadOnlyList<KeyValuePair<string, string>> Locations,
    string ClientMaxBodySize,
    bool RemoveDefaultSite);
