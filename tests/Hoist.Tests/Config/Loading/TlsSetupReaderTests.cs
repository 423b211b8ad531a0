namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>setup.tls as read from hoist.yml: its defaults, each key's errors (file:line, path, fix), and where TLS may terminate.</summary>
public sealed class TlsSetupReaderTests
{
    private static readonly string WithLb = Hoist.Tests.Setup.LbSiteTests.Yaml;

    private static string Tls(string yaml, string tls) => yaml.TrimEnd('\n') + "\n  tls:\n" + string.Concat(tls.Split('\n').Select(l => "    " + l + "\n"));

    [Fact]
    public void Reads_Email_And_Domains_With_Let_S_Encrypt_And_No_Hsts_By_Default()
    {
        var tls = TestConfig.Valid(Tls(WithLb, "email: ops@example.com\ndomains: [Example.com, www.example.com]")).Setup!.Tls!;

        Assert.Equal("ops@example.com", tls.Email);
        Assert.Equal(["example.com", "www.example.com"], tls.Domains);
        Assert.Equal(TlsSetup.LetsEncrypt, tls.AcmeServer);
        Assert.Null(tls.AcmeCa);
        Assert.Equal(0, tls.HstsSeconds);
    }

    [Theory]
    [InlineData("true", TlsSetup.HstsYear)]
    [InlineData("false", 0)]
    [InlineData("600", 600)]
    public void Reads_Hsts(string hsts, int seconds) =>
        Assert.Equal(seconds, TestConfig.Valid(Tls(WithLb, $"email: a@b.org\ndomains: [b.org]\nhsts: {hsts}")).Setup!.Tls!.HstsSeconds);

    [Fact]
    public void Reads_Acme_Ca_From_This_Machine()
    {
        using var dir = new TempDir("hoist-tls-ca");
        var ca = dir.Write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");

        var tls = TestConfig.Valid(Tls(WithLb, $"email: a@b.org\ndomains: [b.org]\nacme_server: https://10.0.0.9:14000/dir\nacme_ca: {ca}")).Setup!.Tls!;

        Assert.Equal("https://10.0.0.9:14000/dir", tls.AcmeServer);
        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", tls.AcmeCa);
    }

    [Theory]
    [InlineData("email: a@b.org\ndomains: ['*.b.org']", "setup.tls.domains[0]: '*.b.org' is a wildcard")]
    [InlineData("email: a@b.org\ndomains: [https://b.org/]", "setup.tls.domains[0]: 'https://b.org/' is not a DNS name")]
    [InlineData("email: a@b.org\ndomains: [b.org, B.org]", "setup.tls.domains[1]: 'B.org' is listed twice")]
    [InlineData("email: a@b.org\ndomains: [bücher.example]", "setup.tls.domains[0]: 'bücher.example' is not a DNS name: labels of letters, digits and '-' separated by dots, such as example.com (no scheme, port or path); an internationalized name is written in its ASCII form: xn--bcher-kva.example")]
    [InlineData("email: a@b.org\ndomains: [example.com.]", "setup.tls.domains[0]: 'example.com.' is not a DNS name")]
    [InlineData("email: a@b.org\ndomains: []", "setup.tls.domains: is empty")]
    [InlineData("email: a@b.org", "setup.tls.domains: required key")]
    [InlineData("domains: [b.org]", "setup.tls.email: required key")]
    [InlineData("email: nobody\ndomains: [b.org]", "setup.tls.email: 'nobody' is not an email address")]
    [InlineData("email: a@b.org\ndomains: [b.org]\nacme_server: http://b.org/dir", "setup.tls.acme_server: 'http://b.org/dir' is not an https:// URL")]
    [InlineData("email: a@b.org\ndomains: [b.org]\nhsts: sometimes", "setup.tls.hsts: 'sometimes' is not false, true")]
    [InlineData("email: a@b.org\ndomains: [b.org]\nacme_ca: /nonexistent/ca.pem", "setup.tls.acme_ca: '/nonexistent/ca.pem' cannot be read")]
    [InlineData("email: a@b.org\ndomains: [b.org]\nstaging: true", "setup.tls.staging: unknown key 'staging'")]
    [InlineData("email: '$(id)@b.org'\ndomains: [b.org]", "setup.tls.email: '$(id)@b.org' is not an email address")]
    [InlineData("email: \"a@b.org\\n--agree-tos\"\ndomains: [b.org]", "setup.tls.email:")]
    [InlineData("email: \"a b@b.org\"\ndomains: [b.org]", "setup.tls.email:")]
    [InlineData("email: a@b.org\ndomains: [\"b.org\\n\"]", "setup.tls.domains[0]:")]
    [InlineData("email: a@b.org\ndomains: [\"b.org; rm -rf /\"]", "setup.tls.domains[0]:")]
    [InlineData("email: a@b.org\ndomains: [\"b'.org\"]", "setup.tls.domains[0]:")]
    [InlineData("email: a@b.org\ndomains: ['$(id).b.org']", "setup.tls.domains[0]:")]
    [InlineData("email: a@b.org\ndomains: [b.org]\nacme_server: \"https://b.org/dir\\nx\"", "setup.tls.acme_server:")]
    public void Rejects_Bad_Values_With_The_Line_And_Path(string tls, string expected)
    {
        var errors = TestConfig.Errors(Tls(WithLb, tls));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("hoist.yml:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zero")]
    [InlineData("link-to-zero")]
    [InlineData("fifo")]
    [InlineData("directory")]
    public async Task Rejects_An_Acme_Ca_That_Is_No_Regular_File_Without_Reading_It(string kind)
    {
        // /dev/zero reports a length of 0 and never ends, a FIFO blocks the read until a writer comes: either would hang
        // the loader (or fill memory) if it were read as a file.
        using var dir = new TempDir("hoist-tls-ca");
        var ca = dir.Combine("ca.pem");
        switch (kind)
        {
            case "zero":
                ca = "/dev/zero";
                break;
            case "link-to-zero":
                File.CreateSymbolicLink(ca, "/dev/zero");
                break;
            case "fifo":
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [ca]))
                {
                    mkfifo.WaitForExit();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            default:
                Directory.CreateDirectory(ca);
                break;
        }

        var load = Task.Run(() => TestConfig.Errors(Tls(WithLb, $"email: a@b.org\ndomains: [b.org]\nacme_server: https://10.0.0.9:14000/dir\nacme_ca: {ca}")));

        // A bound on a hang, not a wait: a file that is refused without being read returns in milliseconds.
        var errors = await load.WaitAsync(TimeSpan.FromSeconds(30));
        var error = Assert.Single(errors);
        Assert.Contains(kind switch { "directory" => "it is a folder", "fifo" => "it is a FIFO, not a regular file", _ => "it is a device, not a regular file" }, error, StringComparison.Ordinal);
        Assert.EndsWith("; name the PEM file of the CA that signs acme_server's HTTPS certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_The_Whole_Fix_Though_Its_Prose_Has_Apostrophes()
    {
        // The loader shortens long quoted values; an apostrophe in the prose ("Let's", "acme_server's") is no quote, and the
        // text between it and a value's quote was cut as if it were one, eliding the fix.
        var error = Assert.Single(TestConfig.Errors(Tls(WithLb, "email: a@b.org\ndomains: [b.org]\nacme_server: http://b.org/dir")));

        Assert.EndsWith(
            "setup.tls.acme_server: 'http://b.org/dir' is not an https:// URL of an ACME directory, such as https://acme-v02.api.letsencrypt.org/directory " +
            "(Let's Encrypt's staging: https://acme-staging-v02.api.letsencrypt.org/directory)",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_A_Listen_Port_Other_Than_80_Which_Http_01_Never_Reaches()
    {
        // The CA checks the challenge on port 80 alone (RFC 8555 §8.3): with nginx on 8080, setup's local probe of 8080
        // passed and certbot then failed against the CA, each failure counting towards its rate limit.
        var yaml = WithLb.Replace("    client_max_body_size: 75m", "    client_max_body_size: 75m\n    listen: 8080", StringComparison.Ordinal);
        Assert.Contains("listen: 8080", yaml, StringComparison.Ordinal);

        var error = Assert.Single(TestConfig.Errors(Tls(yaml, "email: a@b.org\ndomains: [b.org]")));

        Assert.StartsWith("hoist.yml:", error, StringComparison.Ordinal);
        Assert.Contains("setup.nginx.listen: 8080 with setup.tls: the CA checks HTTP-01 on port 80 only", error, StringComparison.Ordinal);
        Assert.Contains("remove setup.nginx.listen (80)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_Several_Web_Hosts_Without_An_Lb_And_Says_To_Add_One()
    {
        var errors = TestConfig.Errors(Tls(Hoist.Tests.Setup.SetupFilesTests.Yaml, "email: a@b.org\ndomains: [b.org]"));

        var error = Assert.Single(errors);
        Assert.Contains("setup.tls: without an lb host TLS terminates on the web host, and hosts.web has 2", error, StringComparison.Ordinal);
        Assert.Contains("add an lb host in front", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_Several_Lb_Hosts()
    {
        var yaml = WithLb.Replace("lb: root@10.77.3.5", "lb: [root@10.77.3.5, root@10.77.3.6]", StringComparison.Ordinal);

        Assert.Contains(TestConfig.Errors(Tls(yaml, "email: a@b.org\ndomains: [b.org]")), e => e.Contains("hosts.lb has 2", StringComparison.Ordinal));
    }
}
