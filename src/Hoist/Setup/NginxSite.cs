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
            text.Append("    }\n");
        }

        text.Append('\n');
        text.Append("    location / {\n");
        text.Append($"        proxy_pass {ProxyPass(upstream)};\n");
        text.Append(NginxUpgradeMap.ProxyLines(nginx.ReadTimeout, "        "));
        text.Append("        proxy_set_header Host $host;\n");
        text.Append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        text.Append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
        text.Append("        proxy_set_header X-Forwarded-Host $host;\n");
        text.Append("        proxy_redirect off;\n");
        text.Append("    }\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static string ProxyPass(ListenAddress upstream) => upstream switch
    {
        UnixListen unix => $"http://unix:{unix.Path}:",
        TcpListen { Host: "0.0.0.0" or "*" } tcp => $"http://127.0.0.1:{tcp.Port}",
        TcpListen tcp => $"http://{tcp}",
        _ => throw new InvalidOperationException("unknown listen address"),
    };
}
