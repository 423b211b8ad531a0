namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Setup;

/// <summary><c>hoist setup</c>.</summary>
internal static class SetupVerb
{
    private static readonly Option<bool> RotateDbPassword = new("--rotate-db-password")
    {
        Description = "Make new passwords for the database roles (otherwise the ones the web hosts keep in shared/.env are kept).",
    };

    private static readonly Option<string[]> RotateSecret = new("--rotate-secret")
    {
        Description = "Give NAME, one of setup.secrets, a new generated value on every web host (repeatable; needs every web host in the run). The app reloads; the audit line names what rotated.",
        HelpName = "NAME",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Build()
    {
        var command = new Command("setup",
            "Prepare the hosts, as root (through passwordless sudo when ssh.user is not root), from hoist.yml's setup: section, idempotently: packages (apt, only when missing: nginx, and git in git mode, on web hosts); " +
            "on the db host PostgreSQL listening on its address, an owner role and a rows-only app role with generated " +
            "passwords, pg_hba admitting them only from the web hosts; on web hosts the app's user (group www-data), the " +
            "deploy_to folders, shared/.env (0600) with DATABASE_URL and setup.secrets (each generated once, 256 random bits, the same on every web host, never shown; " +
            "the file's other lines kept in place), the hoist binary, the nginx site (checked with " +
            "nginx -t before it goes live) and hoist serve as a systemd unit (Type=notify: a start or reload that leaves it not serving fails, with its journal) " +
            "or a daemon; on lb hosts (hosts.lb) nginx with an upstream of every web host, checked the same way; with setup.tls, where TLS terminates (the lb host, else the only web host), " +
            "certbot's certificate over HTTP-01 (asked for only when the host lacks one for those domains), the site on 443 and port 80 redirecting, renewed by certbot.timer with an nginx reload; with setup.firewall: true, last, nftables " +
            "on each of them (hoist's own table inet hoist: ssh, nginx, PostgreSQL from the web hosts only), kept only once a new SSH connection gets through " +
            "(else the old rules come back by themselves), and with false that table removed. Each item says ok or changed. Takes the deploy lock first, on hoist.yml's first host as every run does and then on the web hosts (held by a deploy: exit 75, nothing changed), " +
            "and appends what changed to <deploy_to>/.hoist/audit.log.")
        {
            GlobalOptions.Role, GlobalOptions.Host, GlobalOptions.DryRun, RotateDbPassword, RotateSecret,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new SetupRunner(context).RunAsync(
                GlobalOptions.SelectedHosts(context, parse), parse.GetValue(GlobalOptions.DryRun), parse.GetValue(RotateDbPassword), parse.GetValue(RotateSecret) ?? [], cancel)));
        return command;
    }
}
