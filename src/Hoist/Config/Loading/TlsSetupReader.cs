namespace Hoist.Config.Loading;

using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>setup.tls</c>. Domains, email and the ACME server go into certbot's arguments and nginx's site, so each is
/// checked for its shape here; acme_ca is read from the deploying machine now, so a missing file fails before any host
/// is touched. Where TLS terminates is checked too: one lb host, or no lb and one web host.
/// </summary>
internal static partial class TlsSetupReader
{
    /// <summary>acme_ca's largest size: a CA bundle, not a data file.</summary>
    public const int MaxCaBytes = 1 << 20;

    private static readonly string[] Keys = ["email", "domains", "acme_server", "acme_ca", "hsts"];

    public static TlsSetup? Read(NodeReader reader, LocalPaths paths, YamlNode? node, IReadOnlyList<RoleConfig> roles)
    {
        if (node is null)
        {
            return null;
        }

        var map = reader.Mapping(node, "setup.tls", "a mapping such as { email: you@example.com, domains: [example.com] }", Keys);
        if (map is null)
        {
            return null;
        }

        var ok = Where(reader, map, roles);
        var email = ReadEmail(reader, map);
        var domains = ReadDomains(reader, map);
        var server = ReadServer(reader, Nodes.Optional(map, "acme_server"));
        var ca = ReadCa(reader, paths, Nodes.Optional(map, "acme_ca"), out var caOk);
        var hsts = ReadHsts(reader, Nodes.Optional(map, "hsts"));
        return ok && caOk && email is not null && domains is not null && server is not null && hsts is not null
            ? new TlsSetup(email, domains, server, ca, hsts.Value)
            : null;
    }

    /// <summary>One host terminates TLS: certbot's HTTP-01 answer must come from the host the name points at.</summary>
    private static bool Where(NodeReader reader, YamlMappingNode map, IReadOnlyList<RoleConfig> roles)
    {
        int Count(string role) => roles.FirstOrDefault(r => r.Name == role)?.Hosts.Count ?? 0;
        var (lb, web) = (Count(LbRole.Name), Count("web"));
        var problem = lb > 1
            ? $"TLS terminates on the lb host, and hosts.lb has {lb}: each would need the certificate, and HTTP-01 reaches only the one the name points at; keep one lb host"
            : lb == 0 && web != 1
                ? $"without an lb host TLS terminates on the web host, and hosts.web has {web}: with several, HTTP-01 through DNS round-robin reaches any one of them and fails; add an lb host in front (hosts: {{ lb: ... }}), where TLS then terminates, or keep one web host"
                : null;
        if (problem is not null)
        {
            reader.Error(map, "setup.tls", problem);
        }

        return problem is null;
    }

    private static string? ReadEmail(NodeReader reader, YamlMappingNode map)
    {
        var node = reader.Required(map, "setup.tls", "email", "email: you@example.com (the ACME account's contact: expiry warnings go there)");
        var text = node is null ? null : reader.Text(node, "setup.tls.email", "an email address");
        if (text is not null && !Email().IsMatch(text.Value))
        {
            reader.Error(node!, "setup.tls.email", $"{text.Quoted} is not an email address such as you@example.com");
            return null;
        }

        return text?.Value;
    }

    private static List<string>? ReadDomains(NodeReader reader, YamlMappingNode map)
    {
        var node = reader.Required(map, "setup.tls", "domains", "domains: [example.com, www.example.com] (the names the certificate covers)");
        if (node is null)
        {
            return null;
        }

        var domains = new List<string>();
        var ok = true;
        foreach (var (item, path) in reader.Items(node, "setup.tls.domains", "a domain name or a list of them"))
        {
            var text = reader.Text(item, path, "a domain name");
            var name = text?.Value.ToLowerInvariant();
            if (text is null || name is null)
            {
                ok = false;
            }
            else if (name.StartsWith("*.", StringComparison.Ordinal))
            {
                reader.Error(item, path, $"{text.Quoted} is a wildcard, which only the DNS-01 challenge can prove and hoist uses HTTP-01; list each name (www.example.com, app.example.com)");
                ok = false;
            }
            else if (!DnsName().IsMatch(name) || name.Length > 253)
            {
                reader.Error(item, path, $"{text.Quoted} is not a DNS name: labels of letters, digits and '-' separated by dots, such as example.com (no scheme, port or path){AsciiForm(name)}");
                ok = false;
            }
            else if (domains.Contains(name))
            {
                reader.Error(item, path, $"{text.Quoted} is listed twice; remove one");
                ok = false;
            }
            else
            {
                domains.Add(name);
            }
        }

        if (ok && domains.Count == 0)
        {
            reader.Error(node, "setup.tls.domains", "is empty; list the names the certificate covers, such as [example.com]");
            ok = false;
        }

        return ok ? domains : null;
    }

    private static string? ReadServer(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "setup.tls.acme_server", "an https:// URL of an ACME directory");
        if (node is null)
        {
            return TlsSetup.LetsEncrypt;
        }

        if (text is not null && (!Uri.TryCreate(text.Value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !PlainUrl().IsMatch(text.Value)))
        {
            reader.Error(node, "setup.tls.acme_server", $"{text.Quoted} is not an https:// URL of an ACME directory, such as {TlsSetup.LetsEncrypt} (Let's Encrypt's staging: https://acme-staging-v02.api.letsencrypt.org/directory)");
            return null;
        }

        return text?.Value;
    }

    private static string? ReadCa(NodeReader reader, LocalPaths paths, YamlNode? node, out bool ok)
    {
        ok = true;
        var text = node is null ? null : reader.Text(node, "setup.tls.acme_ca", "a PEM file on this machine");
        if (node is null)
        {
            return null;
        }

        ok = false;
        if (text is null)
        {
            return null;
        }

        var full = paths.Resolve(text.Value, out var error);
        string? pem = null;
        try
        {
            pem = full is null ? null : ReadPem(full, ref error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot be read on this machine ({e.Message})";
        }

        if (pem is null)
        {
            reader.Error(node, "setup.tls.acme_ca", $"{text.Quoted} {(full is null ? error : error.Length > 0 ? error : "cannot be read")}; name the PEM file of the CA that signs acme_server's HTTPS certificate");
            return null;
        }

        if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || pem.Contains('\0', StringComparison.Ordinal))
        {
            reader.Error(node, "setup.tls.acme_ca", $"{text.Quoted} is not a PEM certificate file (no '-----BEGIN CERTIFICATE-----' line)");
            return null;
        }

        ok = true;
        return pem.EndsWith('\n') ? pem : pem + "\n";
    }

    /// <summary>
    /// The file's text, or null with <paramref name="error"/> saying why. Read as hoist.yml and known_hosts are
    /// (<see cref="Core.RegularFile"/>): judged by what a link leads to, and a FIFO, /dev/zero or a directory refused
    /// before a byte is read (the first would block the loader, the second fill its memory), to a bound.
    /// </summary>
    private static string? ReadPem(string full, ref string error)
    {
        var bytes = Core.RegularFile.Read(full, MaxCaBytes, out var problem);
        if (bytes is null)
        {
            error = "cannot be read on this machine: it " + (problem ?? "does not exist");
            return null;
        }

        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>For a name with letters beyond ASCII (bücher.example), the form certbot and nginx take (xn--bcher-kva.example).</summary>
    private static string AsciiForm(string name)
    {
        if (name.All(char.IsAscii))
        {
            return "";
        }

        try
        {
            var ascii = new IdnMapping().GetAscii(name);
            return DnsName().IsMatch(ascii) ? $"; an internationalized name is written in its ASCII form: {ascii}" : "";
        }
        catch (ArgumentException)
        {
            return "";
        }
    }

    /// <summary>false (no header), true (a year), or max-age in seconds.</summary>
    private static int? ReadHsts(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "setup.tls.hsts", "false, true or seconds");
        return text?.Value switch
        {
            null when node is null => 0,
            null => null,
            "false" => 0,
            "true" => TlsSetup.HstsYear,
            var value when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 => seconds,
            _ => Invalid(reader, node!, $"{text.Quoted} is not false, true (a year) or a number of seconds such as 31536000"),
        };
    }

    private static int? Invalid(NodeReader reader, YamlNode node, string message)
    {
        reader.Error(node, "setup.tls.hsts", message);
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+\\z")]
    private static partial Regex Email();

    [GeneratedRegex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\z")]
    private static partial Regex DnsName();

    /// <summary>A URL without what would change a shell word's or certbot's reading of it (spaces, quotes).</summary>
    [GeneratedRegex("^[A-Za-z0-9._~:/?#\\[\\]@!$&()*+,;=%-]+\\z")]
    private static partial Regex PlainUrl();
}
