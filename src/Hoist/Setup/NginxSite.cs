namespace Hoist.Setup;

using System.Text;
using Hoist.Config;
using Hoist.Serve.Config;

/// <summary>
/// The nginx site of the seed chapter, for hoist serve: static and media folders served from disk, everything else
/// proxied to hoist serve's socket with the forwarded headers, WebSockets included (<see cref="NginxUpgradeMap"/>). Every value in it was checked when the config was read.
/// </summary>
internal static class NginxSite
{
    /// <summary>The named location a static location's miss falls back to.</summary>
    private const string AppLocation = "@app";

    /// <param name="lbAddresses">The lb hosts in front (hosts.lb): only their X-Real-IP is taken as the client's address.</param>
    /// <param name="tls">setup.tls where this host terminates TLS (no lb), with <paramref name="live"/> once the certificate exists (<see cref="TlsSite"/>).</param>
    /// <param name="httpsAtLb">The lb in front terminates TLS: the app is told each request was https.</param>
    public static string Render(
        string app, string deployTo, NginxSetup nginx, ListenAddress upstream, IReadOnlyList<string>? lbAddresses = null, TlsSetup? tls = null, bool live = false, bool httpsAtLb = false)
    {
        var text = new StringBuilder();
        text.Append($"# The nginx site of {app}, written by `hoist setup`: edit hoist.yml (setup.nginx), not this file.\n");
        void Body(StringBuilder body)
        {
            body.Append($"    client_max_body_size {nginx.ClientMaxBodySize};\n");
            foreach (var lb in lbAddresses ?? [])
            {
                body.Append($"    set_real_ip_from {lb};\n");
            }

            if (lbAddresses is [_, ..])
            {
                body.Append("    real_ip_header X-Real-IP;\n");
            }

            foreach (var (prefix, folder) in nginx.Locations)
            {
                var path = folder.StartsWith('/') ? folder : $"{deployTo.TrimEnd('/')}/{folder}";
                body.Append('\n');
                body.Append($"    location {prefix} {{\n");
                body.Append($"        alias {path.TrimEnd('/')}/;\n");
                // A file that is not there goes to the app, which may serve it itself: Flask serves its package's static/
                // (flaskr's is flaskr/static, not the default's current/static), so its CSS works with no locations: written.
                body.Append($"        error_page 404 = {AppLocation};\n");
                body.Append("    }\n");
            }

            Proxy(body, "/", upstream, nginx, httpsAtLb);
            if (nginx.Locations.Count > 0)
            {
                Proxy(body, AppLocation, upstream, nginx, httpsAtLb);
            }
        }

        TlsSite.Servers(text, app, nginx, tls, live, Body);
        return text.ToString();
    }

    private static void Proxy(StringBuilder text, string location, ListenAddress upstream, NginxSetup nginx, bool httpsAtLb)
    {
        text.Append('\n');
        text.Append($"    location {location} {{\n");
        text.Append($"        proxy_pass {ProxyPass(upstream)};\n");
        text.Append(NginxUpgradeMap.ProxyLines(nginx.ReadTimeout, "        "));
        text.Append("        proxy_set_header Host $host;\n");
        text.Append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        // Behind an lb that terminates TLS every request the app gets came over https (port 80 there only redirects):
        // this nginx's own $scheme, http, would have the app build http:// links and refuse secure cookies.
        text.Append($"        proxy_set_header X-Forwarded-Proto {(httpsAtLb ? "https" : "$scheme")};\n");
        text.Append("        proxy_set_header X-Forwarded-Host $host;\n");
        text.Append("        proxy_redirect off;\n");
        text.Append("    }\n");
    }

    private static string ProxyPass(ListenAddress upstream) => upstream switch
    {
        UnixListen unix => $"http://unix:{unix.Path}:",
        TcpListen { Host: "0.0.0.0" or "*" } tcp => $"http://127.0.0.1:{tcp.Port}",
        TcpListen tcp => $"http://{tcp}",
        _ => throw new InvalidOperationException("unknown listen address"),
    };
}
