namespace Hoist.Setup;

using System.Text;
using Hoist.Config;

/// <summary>
/// The nginx site on an lb host: an upstream of every web host's nginx (which serves the static files and proxies
/// to hoist serve), with passive health (a server that fails max_fails times is left out for fail_timeout) and
/// keep-alive connections, and the forwarded headers the web hosts accept from the lb only. A drained web host is
/// marked <c>down</c>: nginx sends it no new request, and a graceful reload lets the requests in flight finish.
/// </summary>
internal static class LbSite
{
    public const int MaxFails = 3;
    public const string FailTimeout = "10s";
    public const int KeepAlive = 16;

    public static string File(string app) => $"/etc/nginx/sites-available/{app}-lb";

    public static string Link(string app) => $"/etc/nginx/sites-enabled/{app}-lb";

    /// <summary>The upstream's name, an nginx word made of the app's name (letters, digits, '.', '_', '-').</summary>
    public static string Upstream(string app) => $"hoist_{app}";

    /// <summary>The lb hosts' addresses, which the web hosts' nginx trusts for the client's address; none without lb hosts.</summary>
    public static IReadOnlyList<string> Addresses(HoistConfig config) => [.. LbRole.Hosts(config).Select(h => h.Address)];

    /// <summary>A web host's address in the upstream, as its <c>server</c> line names it.</summary>
    public static string Server(HoistConfig config, HostConfig web) =>
        (web.Address.Contains(':', StringComparison.Ordinal) ? $"[{web.Address}]" : web.Address) + ":" + config.Setup!.Nginx.Listen;

    /// <summary>The site with every web host in the upstream but <paramref name="drained"/> (by host key), which are down.</summary>
    /// <param name="live">With setup.tls: whether the certificate exists (the site on 443, port 80 redirecting) or not yet (<see cref="TlsSite"/>).</param>
    public static string Render(HoistConfig config, IReadOnlyCollection<string> drained, bool live = false)
    {
        var nginx = config.Setup!.Nginx;
        var text = new StringBuilder();
        text.Append($"# The load balancer of {config.App}, written by `hoist setup` and by deploys that drain web hosts: edit hoist.yml (hosts, setup.nginx), not this file.\n");
        text.Append($"upstream {Upstream(config.App)} {{\n");
        foreach (var web in LbRole.Web(config))
        {
            var down = drained.Contains(web.Key) ? " down" : "";
            text.Append($"    server {Server(config, web)} max_fails={MaxFails} fail_timeout={FailTimeout}{down};\n");
        }

        text.Append($"    keepalive {KeepAlive};\n");
        text.Append("}\n\n");
        void Body(StringBuilder body)
        {
            body.Append($"    client_max_body_size {nginx.ClientMaxBodySize};\n");
            // No keep-alive towards clients: a drain's graceful reload closes every idle client connection of the old
            // workers at once, and a request already on its way on one is reset (seen: 14 of 21 231 requests through lb1
            // over 32 reloads under a CPU hog). With one connection per request there is no idle connection to close:
            // in-flight requests finish on the old workers, new connections wait on the shared listening socket.
            body.Append("    keepalive_timeout 0;\n\n");
            // Everything, static files too, goes to the web hosts: their nginx serves those from the release on disk.
            body.Append("    location / {\n");
            body.Append($"        proxy_pass http://{Upstream(config.App)};\n");
            // HTTP/1.1 without "Connection: close" is what keeps the upstream connections open; a WebSocket's upgrade is
            // passed on (NginxUpgradeMap), and keeps its connection to itself.
            body.Append(NginxUpgradeMap.ProxyLines(nginx.ReadTimeout, "        "));
            body.Append("        proxy_set_header Host $host;\n");
            body.Append("        proxy_set_header X-Real-IP $remote_addr;\n");
            body.Append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
            body.Append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
            body.Append("        proxy_set_header X-Forwarded-Host $host;\n");
            // A web host that is down or restarting: the request is tried on the next one (and counts against max_fails).
            body.Append("        proxy_next_upstream error timeout http_502 http_503;\n");
            body.Append("        proxy_redirect off;\n");
            body.Append("    }\n");
        }

        TlsSite.Servers(text, config.App, nginx, config.Setup!.Tls, live, Body);
        return text.ToString();
    }
}
