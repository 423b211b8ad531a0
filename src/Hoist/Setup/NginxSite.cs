namespace Hoist.Setup;

using System.Text;
using Hoist.Config;
using Hoist.Serve.Config;

/// <summary>
/// The nginx site of the seed chapter, for hoist serve: static and media folders served from disk, everything else
/// proxied to hoist serve's socket with the forwarded headers. Every value in it was checked when the config was read.
/// </summary>
internal static class NginxSite
{
    /// <summary>The named location a static location's miss falls back to.</summary>
    private const string AppLocation = "@app";

    /// <param name="lbAddresses">The lb hosts in front (hosts.lb): only their X-Real-IP is taken as the client's address.</param>
    public static string Render(string app, string deployTo, NginxSetup nginx, ListenAddress upstream, IReadOnlyList<string>? lbAddresses = null)
    {
        var text = new StringBuilder();
        text.Append($"# The nginx site of {app}, written by `hoist setup`: edit hoist.yml (setup.nginx), not this file.\n");
        text.Append("server {\n");
        text.Append($"    listen {nginx.Listen};\n");
        text.Append($"    server_name {nginx.ServerName};\n");
        text.Append($"    client_max_body_size {nginx.ClientMaxBodySize};\n");
        foreach (var lb in lbAddresses ?? [])
        {
            text.Append($"    set_real_ip_from {lb};\n");
        }

        if (lbAddresses is [_, ..])
        {
            text.Append("    real_ip_header X-Real-IP;\n");
        }
        foreach (var (prefix, folder) in nginx.Locations)
        {
            var path = folder.StartsWith('/') ? folder : $"{deployTo.TrimEnd('/')}/{folder}";
            text.Append('\n');
            text.Append($"    location {prefix} {{\n");
            text.Append($"        alias {path.TrimEnd('/')}/;\n");
            // A file that is not there goes to the app, which may serve it itself: Flask serves its package's static/
            // (flaskr's is flaskr/static, not the default's current/static), so its CSS works with no locations: written.
            text.Append($"        error_page 404 = {AppLocation};\n");
            text.Append("    }\n");
        }

        Proxy(text, "/", upstream);
        if (nginx.Locations.Count > 0)
        {
            Proxy(text, AppLocation, upstream);
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static void Proxy(StringBuilder text, string location, ListenAddress upstream)
    {
        text.Append('\n');
        text.Append($"    location {location} {{\n");
        text.Append($"        proxy_pass {ProxyPass(upstream)};\n");
        text.Append("        proxy_set_header Host $host;\n");
        text.Append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        text.Append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
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
