namespace Hoist.Config.Loading;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

/// <summary>Parses <c>local</c>, <c>host</c>, <c>host:port</c>, <c>user@host[:port]</c> and <c>[v6]:port</c>.</summary>
internal static partial class HostParser
{
    public const string Forms = "host, host:port, user@host:port, [v6]:port or local";

    public static bool TryParse(
        string text, string defaultUser, int defaultPort, [NotNullWhen(true)] out HostConfig? host, out string error)
    {
        host = null;
        error = "";
        if (text == "local")
        {
            host = HostConfig.Local(defaultUser);
            return true;
        }

        var user = defaultUser;
        var rest = text;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            user = text[..at];
            rest = text[(at + 1)..];
            if (!IsUserName(user))
            {
                return Fail(text, $"'{user}' is not a valid user name", out error);
            }
        }

        if (!SplitPort(text, rest, defaultPort, out var address, out var port, out error))
        {
            return false;
        }

        if (!IsIPv6(address) && !HostName().IsMatch(address))
        {
            return Fail(text, $"'{address}' is not a valid host name or address", out error);
        }

        host = new HostConfig(address, port, user, IsLocal: false);
        return true;
    }

    private static bool SplitPort(string text, string rest, int defaultPort, out string address, out int port, out string error)
    {
        address = rest;
        port = defaultPort;
        error = "";
        string? portText = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return Fail(text, "'[' has no closing ']'", out error);
            }

            address = rest[1..close];
            var after = rest[(close + 1)..];
            if (!IsIPv6(address))
            {
                return Fail(text, $"'{address}' in brackets is not an IPv6 address", out error);
            }

            if (after.Length > 0 && !after.StartsWith(':'))
            {
                return Fail(text, $"unexpected '{after}' after ']'", out error);
            }

            portText = after.Length > 0 ? after[1..] : null;
        }
        else if (rest.Count(c => c == ':') > 1)
        {
            if (!IsIPv6(rest))
            {
                return Fail(text, "too many ':'; write an IPv6 address in brackets, e.g. [::1]:22", out error);
            }
        }
        else if (rest.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            address = rest[..colon];
            portText = rest[(colon + 1)..];
        }

        if (portText is null)
        {
            return true;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return Fail(text, $"port '{portText}' must be a number from 1 to 65535", out error);
        }

        return true;
    }

    public static bool IsUserName(string user) => UserName().IsMatch(user);

    private static bool IsIPv6(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool Fail(string text, string reason, out string error)
    {
        error = $"invalid host '{text}': {reason}; write {Forms}";
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*\\z")]
    private static partial Regex UserName();

    [GeneratedRegex("^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\z")]
    private static partial Regex HostName();
}
