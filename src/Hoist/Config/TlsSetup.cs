namespace Hoist.Config;

/// <summary>
/// setup.tls: HTTPS with a certificate certbot obtains over HTTP-01 (nginx serving the challenge from a webroot), on
/// the host where TLS terminates (<see cref="TlsRole"/>): the lb when there is one, else the only web host.
/// </summary>
/// <param name="Domains">The certificate's names, lowercase, in config order (the first is certbot's primary name).</param>
/// <param name="AcmeServer">The ACME directory certbot asks (Let's Encrypt's by default).</param>
/// <param name="AcmeCa">The PEM text of acme_ca (read on the deploying machine), which certbot trusts for the ACME server; null to trust the system's CAs.</param>
/// <param name="HstsSeconds">Strict-Transport-Security's max-age on the HTTPS site; 0 sends no such header.</param>
internal sealed record TlsSetup(string Email, IReadOnlyList<string> Domains, string AcmeServer, string? AcmeCa, int HstsSeconds)
{
    public const string LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary>hsts: true, a year: the max-age browsers' preload lists ask for at least.</summary>
    public const int HstsYear = 31536000;
}
