namespace Hoist.Config;

using Hoist.Serve.Config;

/// <summary>The nginx site in front of hoist serve.</summary>
/// <param name="Locations">URL prefix to folder (under deploy_to unless absolute), served by nginx from disk.</param>
internal sealed record NginxSetup(
    string ServerName,
    int Listen,
    IReadOnlyList<KeyValuePair<string, string>> Locations,
    string ClientMaxBodySize,
    bool RemoveDefaultSite)
{
    /// <summary>
    /// nginx's proxy_read_timeout and proxy_send_timeout towards the app (<c>read_timeout</c>, nginx's time syntax;
    /// default 1h): a WebSocket through nginx is closed after this long without a frame either way.
    /// </summary>
    public string ReadTimeout { get; init; } = Loading.NginxSetupReader.DefaultReadTimeout;

    /// <summary>The first name of server_name that names one host, as hoist serve's healthcheck-host takes it; null if none.</summary>
    /// <remarks>
    /// nginx's <c>.example.com</c> stands for example.com and its subdomains, and a trailing dot is the same name:
    /// each gives example.com. _ (nginx's catch-all), wildcards, ~regexes and whatever else hoist serve would refuse are skipped, so setup
    /// never writes a healthcheck-host that stops hoist serve from starting.
    /// </remarks>
    public string? FirstHostName => ServerName.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Where(name => name != "_")
        .Select(name => name.StartsWith('.') ? name[1..] : name)
        .Select(name => name.EndsWith('.') ? name[..^1] : name)
        .FirstOrDefault(HostName.IsValid);
}
