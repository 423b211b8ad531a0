namespace Hoist.Setup;

/// <summary>
/// The one nginx map every site of Hoist's uses to pass WebSockets on: <c>Connection: upgrade</c> to the app when the
/// client asked for an upgrade, and no Connection header otherwise. It lives in conf.d, the same file for every app
/// (written by each setup, identical), because nginx refuses a second map of the same variable: two apps on one
/// host, each defining it in its site, would fail nginx -t. The variable is Hoist's own, so a user's own
/// <c>$connection_upgrade</c> map does not clash with it.
/// </summary>
/// <remarks>
/// No Connection header (rather than the common form's "close") for a plain request: the lb's upstream keeps its
/// keep-alive connections to the web hosts, which "close" would end after every request (a TCP handshake and a
/// TIME_WAIT per request). A web host's site has no keep-alive pool, so nginx closes its connection to hoist serve
/// after each answer either way, as before.
/// </remarks>
internal static class NginxUpgradeMap
{
    public const string File = "/etc/nginx/conf.d/hoist-upgrade.conf";

    public const string Variable = "$hoist_connection_upgrade";

    public const string Conf = $$"""
        # Written by `hoist setup` (the same for every app on this host): the Connection header Hoist's sites send the app.
        map $http_upgrade {{Variable}} {
            default upgrade;
            ''      '';
        }

        """;

    /// <summary>The lines of a proxying location that pass a WebSocket on and keep it open (<paramref name="readTimeout"/> between frames).</summary>
    public static string ProxyLines(string readTimeout, string indent) =>
        $"{indent}proxy_http_version 1.1;\n" +
        $"{indent}proxy_set_header Upgrade $http_upgrade;\n" +
        $"{indent}proxy_set_header Connection {Variable};\n" +
        $"{indent}proxy_read_timeout {readTimeout};\n" +
        $"{indent}proxy_send_timeout {readTimeout};\n";
}
