namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// setup.tls on the host where TLS terminates: certbot's certificate obtained over HTTP-01 (nginx serving its webroot),
/// renewed by certbot's own timer with a deploy hook that reloads nginx. A certificate that already covers exactly the
/// domains, from the same ACME server, and has not expired is left alone: a second setup asks the CA nothing. The
/// site that names the certificate is written only once its files exist (<see cref="TlsSite"/>), so nginx is never
/// given a configuration it refuses.
/// </summary>
internal static class TlsSetupStep
{
    public const string Package = "certbot";

    /// <summary>certbot runs the files in this folder after each renewal (not after certonly: setup reloads itself).</summary>
    public static string DeployHook(string app) => $"/etc/letsencrypt/renewal-hooks/deploy/hoist-{app}-nginx-reload";

    /// <summary>acme_ca on the host, which certbot (and only certbot) trusts through REQUESTS_CA_BUNDLE.</summary>
    public static string CaFile(string app) => $"/etc/hoist/tls/{app}-acme-ca.pem";

    /// <summary>The drop-in that gives certbot.service (the timer's renewals) acme_ca too.</summary>
    public static string DropIn(string app) => $"/etc/systemd/system/certbot.service.d/hoist-{app}.conf";

    public const string HookText = """
        #!/bin/sh
        # Written by hoist setup (setup.tls): certbot runs it after each renewal, so that nginx serves the new certificate.
        nginx -t -q || exit 1
        if [ -d /run/systemd/system ]; then exec systemctl reload nginx; else exec nginx -s reload; fi

        """;

    /// <summary>
    /// The certificate for <paramref name="tls"/>: when the host lacks a good one, the site <see cref="Choose"/> picked
    /// (plain HTTP plus the challenge path, or the https site while an older certificate is there: no https outage while
    /// the domains change) is put in place first, checked to serve the challenge path, then certbot asks the CA. Then the
    /// hook, the CA file and the timer. Between <see cref="Choose"/> and the site's final write, which picks again.
    /// </summary>
    public static void Add(ScriptBuilder script, HoistConfig config, TlsSetup tls, string site, string link, int port)
    {
        var app = config.App;
        var live = TlsSite.Live(app);
        var wanted = string.Join(' ', tls.Domains.Order(StringComparer.Ordinal));
        var certbot = new List<string>
        {
            "certbot", "certonly", "--non-interactive", "--agree-tos", "--no-eff-email", "--webroot", "-w", TlsSite.Webroot(app),
            "--cert-name", app, "--email", tls.Email, "--server", tls.AcmeServer, "--force-renewal",
        };
        foreach (var domain in tls.Domains)
        {
            certbot.AddRange(["-d", domain]);
        }

        var ca = tls.AcmeCa is null ? "" : $"REQUESTS_CA_BUNDLE={ShellQuote.Quote(CaFile(app))} ";
        script.Line(SetupScripts.Set("tls_live", live))
            .Line(SetupScripts.Set("tls_renewal", $"/etc/letsencrypt/renewal/{app}.conf"))
            .Line(SetupScripts.Set("tls_server", tls.AcmeServer))
            .Line(SetupScripts.Set("tls_wanted", wanted))
            .Line(SetupScripts.Set("tls_first", tls.Domains[0]))
            .Line(SetupScripts.Set("tls_webroot", TlsSite.Webroot(app)))
            .Line(SetupScripts.Set("tls_port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Line(SetupScripts.Set("tls_item", $"certificate {app} ({string.Join(", ", tls.Domains)})"))
            .Raw("put_dir /var/lib/hoist/acme /var/lib/hoist/acme 755 root root || true")
            .Raw("put_dir \"$tls_webroot\" \"$tls_webroot\" 755 root root || true");
        if (tls.AcmeCa is { } pem)
        {
            script.Raw("[ \"$DRY\" = 1 ] || mkdir -p /etc/hoist/tls")
                .Line(SetupScripts.Set("tls_ca", pem))
                .Line(SetupScripts.Set("tls_ca_file", CaFile(app)))
                .Raw("put_file \"acme_ca $tls_ca_file\" \"$tls_ca_file\" 644 root root \"$tls_ca\" 0 || true");
        }

        script.Raw(CertificateCheck)
            .Raw("""
                if tls_cert_ok; then
                  item "$tls_item" ok
                elif [ "$DRY" = 1 ]; then
                  echo "would ask $tls_server for a certificate for $tls_wanted (certbot, HTTP-01 on port $tls_port), then serve the site on 443"
                  item "$tls_item" would-change
                else
                """);
        // The site certbot's answer is served by, checked and live before the CA is asked.
        NginxSetupStep.AddCheckedWrite(script, site, link, null, config.Setup!.Nginx.RemoveDefaultSite);
        script.Raw(NginxSetupStep.Running)
            .Raw(ChallengeProbe)
            .Raw($"  if ! tls_out=$({ca}{string.Join(' ', certbot.Select(ShellQuote.Quote))} 2>&1 </dev/null); then")
            .Raw("""
                    echo "$tls_out" | tail -n 20 >&2
                    # The fix depends on what failed: a challenge the CA could not check, or a CA this host cannot reach.
                    # Challenges first: their output says "Requesting a certificate" too.
                    case "$tls_out" in
                      *"failed to authenticate"*|*"Challenge failed"*|*"challenges have failed"*)
                        fail "certbot could not get a certificate for $tls_wanted from $tls_server (above): the CA could not check the challenge; each name must resolve to $(hostname)'s public address and reach its port $tls_port; the site keeps serving plain HTTP" ;;
                      *"Requesting "*|*"Max retries exceeded"*|*"Failed to establish a new connection"*|*"certificate verify failed"*|*"Temporary failure in name resolution"*)
                        fail "certbot on $(hostname) could not reach the ACME server $tls_server (above) to get a certificate for $tls_wanted: check that it is up and that this host reaches it (DNS, a firewall, a proxy), or correct setup.tls.acme_server (with a private CA, setup.tls.acme_ca names the CA of its HTTPS certificate); the site keeps serving plain HTTP" ;;
                      *)
                        fail "certbot could not get a certificate for $tls_wanted from $tls_server (its lines above say why); the site keeps serving plain HTTP" ;;
                    esac
                  fi
                  tls_cert_ok || fail "certbot ran, but $tls_live does not hold a certificate for $tls_wanted"
                  item "$tls_item" changed
                fi
                [ "$DRY" = 1 ] || mkdir -p /etc/letsencrypt/renewal-hooks/deploy
                """)
            .Line(SetupScripts.Set("tls_hook", HookText))
            .Line(SetupScripts.Set("tls_hook_file", DeployHook(app)))
            .Raw("put_file \"certbot deploy hook $tls_hook_file\" \"$tls_hook_file\" 755 root root \"$tls_hook\" 0 || true");
        AddRenewals(script, app, tls.AcmeCa is not null);
    }

    /// <summary>
    /// $conf for the site's checked write: the https site once the certificate's files exist, else the plain one with the
    /// challenge path (setup under --dry-run before the first certificate; a deploy's drain before setup got one).
    /// </summary>
    public static void Choose(ScriptBuilder script, string app, string plain, string live) =>
        script.Line(SetupScripts.Set("conf_plain", plain))
            .Line(SetupScripts.Set("conf_live", live))
            .Line(SetupScripts.Set("tls_live", TlsSite.Live(app)))
            .Raw(Pick);

    /// <summary>$conf: the https site when the certificate's files are there, else the plain one (again after certbot ran).</summary>
    public const string Pick = "if [ -s \"$tls_live/fullchain.pem\" ] && [ -s \"$tls_live/privkey.pem\" ]; then conf=$conf_live; else conf=$conf_plain; fi";

    /// <summary>certbot's timer (Debian's package enables it; checked), given acme_ca through a drop-in when it is set.</summary>
    private static void AddRenewals(ScriptBuilder script, string app, bool ca)
    {
        script.Line(SetupScripts.Set("tls_dropin", DropIn(app)))
            .Line(SetupScripts.Set("tls_dropin_text", ca ? $"# Written by hoist setup (setup.tls.acme_ca): certbot's renewals trust the ACME server's CA.\n[Service]\nEnvironment=REQUESTS_CA_BUNDLE={CaFile(app)}\n" : ""))
            .Raw("""
                if [ -d /run/systemd/system ]; then
                  if [ -n "$tls_dropin_text" ]; then
                    [ "$DRY" = 1 ] || mkdir -p "$(dirname "$tls_dropin")"
                    put_file "certbot.service drop-in $tls_dropin" "$tls_dropin" 644 root root "$tls_dropin_text" 0 && { [ "$DRY" = 1 ] || systemctl daemon-reload; } || true
                  elif [ -e "$tls_dropin" ]; then
                    if [ "$DRY" = 1 ]; then item "certbot.service drop-in $tls_dropin removed" would-change
                    else rm -f -- "$tls_dropin"; systemctl daemon-reload; item "certbot.service drop-in $tls_dropin removed" changed; fi
                  fi
                  if systemctl is-enabled -q certbot.timer 2>/dev/null && systemctl is-active -q certbot.timer; then item "certbot.timer (renewals)" ok
                  elif [ "$DRY" = 1 ]; then item "certbot.timer (renewals)" would-change
                  else systemctl enable --now certbot.timer || fail "certbot.timer did not start: certificates would not be renewed"; item "certbot.timer (renewals)" changed
                  fi
                elif [ -f /etc/cron.d/certbot ] || [ "$DRY" = 1 ]; then item "certbot renewals (/etc/cron.d/certbot)" ok
                else fail "certbot's renewals run from certbot.timer or /etc/cron.d/certbot, and $(hostname) has neither"
                fi
                """);
    }

    /// <summary>
    /// tls_cert_ok: the lineage's certificate names exactly the wanted domains, was issued by the same ACME server, and
    /// has not expired (renewing before that is certbot's timer's job). python3-cryptography comes with certbot.
    /// </summary>
    private const string CertificateCheck = """
        tls_cert_ok() {
          [ -s "$tls_live/fullchain.pem" ] && [ -s "$tls_live/privkey.pem" ] && [ -s "$tls_live/cert.pem" ] && [ -f "$tls_renewal" ] || return 1
          grep -qxF "server = $tls_server" "$tls_renewal" || return 1
          local have
          have=$(python3 -c '
        import datetime, sys
        from cryptography import x509
        c = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
        if c.not_valid_after <= datetime.datetime.utcnow():
            print("expired")
        else:
            print(" ".join(sorted(c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))))
        ' "$tls_live/cert.pem" 2>/dev/null) || return 1
          [ "$have" = "$tls_wanted" ]
        }
        """;

    /// <summary>
    /// Before the CA is asked (and counts a failure against its rate limits): nginx here serves a file of the webroot
    /// at the challenge path for the first domain, within 5 s of its reload.
    /// </summary>
    private const string ChallengeProbe = """
          mkdir -p "$tls_webroot/.well-known/acme-challenge"
          tls_probe="hoist-probe-$$-$RANDOM"; echo "$tls_probe" >"$tls_webroot/.well-known/acme-challenge/$tls_probe"
          tls_seen=0
          for _ in $(seq 50); do
            # bash's /dev/tcp, in a child bash: curl may not be installed, and a refused connection must not end this script.
            tls_got=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET /.well-known/acme-challenge/%s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$3" >&3 && cat <&3' \
              _ "$tls_port" "$tls_probe" "$tls_first" 2>/dev/null) || true
            case "$tls_got" in *$'\n'"$tls_probe"*) tls_seen=1; break ;; esac
            sleep 0.1
          done
          rm -f -- "$tls_webroot/.well-known/acme-challenge/$tls_probe"
          [ "$tls_seen" = 1 ] || fail "nginx on $(hostname) does not serve $tls_webroot at http://$tls_first:$tls_port/.well-known/acme-challenge/, so the CA could not check it: is $tls_first in setup.nginx.server_name?"
        """;
}
