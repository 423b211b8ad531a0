namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>The rule for a host name hoist serve sends as a health check's Host (healthcheck-host): one rule, for setup too.</summary>
internal static partial class HostName
{
    /// <summary>A name (letters, digits, _ . -, not starting or ending with . or -) or a [v6 address], with an optional :port.</summary>
    public static bool IsValid(string host) => Pattern().IsMatch(host);

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?)(:[0-9]{1,5})?\z")]
    private static partial Regex Pattern();
}
