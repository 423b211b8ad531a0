namespace Hoist.Setup;

using System.Globalization;
using System.Text;
using Hoist.Config;

/// <summary>
/// The server blocks of a site where TLS terminates (setup.tls). Before the certificate exists the site stays on plain
/// HTTP and also serves certbot's HTTP-01 answers from its webroot; once it exists, port 80 answers those and redirects
/// everything else to https, and the site itself listens on 443 with the certificate. nginx never names a certificate
/// file that is not there yet, so <c>nginx -t</c> (and every reload) keeps passing.
/// </summary>
internal static class TlsSite
{
    public const int Port = 443;

    /// <summary>certbot's webroot for the app: it writes <c>.well-known/acme-challenge/TOKEN</c> under it.</summary>
    public static string Webroot(string app) => $"/var/lib/hoist/acme/{app}";

    /// <summary>certbot's lineage (--cert-name is the app's name): its live/ links always name the newest files.</summary>
    public static string Live(string app) => $"/etc/letsencrypt/live/{app}";

    /// <summary>
    /// The site's server blocks around <paramref name="body"/> (what follows server_name: limits, locations), for
    /// <paramref name="tls"/> null (plain HTTP, as without setup.tls), without the certificate yet, or with it (<paramref name="live"/>).
    /// </summary>
    public static void Servers(StringBuilder text, string app, NginxSetup nginx, TlsSetup? tls, bool live, Action<StringBuilder> body)
    {
        text.Append("server {\n");
        text.Append($"    listen {nginx.Listen};\n");
        text.Append($"    server_name {nginx.ServerName};\n");
        if (tls is null)
        {
            body(text);
            text.Append("}\n");
            return;
        }

        Challenge(text, app);
        if (!live)
        {
            body(text);
            text.Append("}\n");
            return;
        }

        text.Append("    location / {\n");
        text.Append($"        return 301 https://$host$request_uri;\n");
        text.Append("    }\n");
        text.Append("}\n\n");
        text.Append("server {\n");
        text.Append($"    listen {Port} ssl;\n");
        text.Append($"    server_name {nginx.ServerName};\n");
        text.Append($"    ssl_certificate {Live(app)}/fullchain.pem;\n");
        text.Append($"    ssl_certificate_key {Live(app)}/privkey.pem;\n");
        text.Append("    ssl_protocols TLSv1.2 TLSv1.3;\n");
        if (tls.HstsSeconds > 0)
        {
            text.Append($"    add_header Strict-Transport-Security \"max-age={tls.HstsSeconds.ToString(CultureInfo.InvariantCulture)}\" always;\n");
        }

        body(text);
        text.Append("}\n");
    }

    private static void Challenge(StringBuilder text, string app)
    {
        // ^~: no regex location (and no redirect) takes the challenge path; certbot writes the token files there.
        text.Append("    location ^~ /.well-known/acme-challenge/ {\n");
        text.Append($"        root {Webroot(app)};\n");
        text.Append("        default_type text/plain;\n");
        text.Append("    }\n\n");
    }
}
