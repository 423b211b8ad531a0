namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// What the scripts <c>hoist setup</c> runs as root (<see cref="DbSetupScript"/>, <see cref="WebSetupScript"/>) share:
/// the paths they write on the hosts, and how they start and set variables. Each item says ok or changed; under
/// --dry-run nothing changes and each item says what it would do.
/// </summary>
internal static class SetupScripts
{
    public static string SiteFile(string app) => $"/etc/nginx/sites-available/{app}";

    public static string ServeIni(string deployTo) => $"{deployTo.TrimEnd('/')}/shared/serve.ini";

    public static string EnvFile(string deployTo) => $"{deployTo.TrimEnd('/')}/shared/.env";

    /// <summary>Where the hoist files go next to <paramref name="hoistPath"/>: /usr/local/bin/hoist → /usr/local/lib/hoist.</summary>
    public static string LibFor(string hoistPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(hoistPath)!)!, "lib", "hoist");

    /// <summary>
    /// The command that reloads hoist serve after a deploy (or starts it the first time), either mode; it fails, with
    /// the unit's status and journal on stderr, when the unit is not serving afterwards (<see cref="UnitScript"/>).
    /// </summary>
    /// <remarks>The deploy runs as the login user: root, or one with passwordless sudo.</remarks>
    public static string ReloadCommand(HoistConfig config)
    {
        var setup = config.Setup!;
        var ini = ShellQuote.Quote(ServeIni(config.DeployTo));
        var unit = ShellQuote.Quote(config.App + ".service");
        var user = ShellQuote.Quote(setup.User);
        var env = ShellQuote.Quote(EnvFile(config.DeployTo));
        var hoist = ShellQuote.Quote(setup.HoistPath);
        return $"if [ \"$(id -u)\" = 0 ]; then as_root() {{ \"$@\"; }}; as_app() {{ runuser -u {user} -- \"$@\"; }}; " +
            $"else as_root() {{ sudo -n \"$@\"; }}; as_app() {{ sudo -n -u {user} -- \"$@\"; }}; fi\n" +
            UnitScript.Functions + "\n" +
            $"if [ -d /run/systemd/system ] && systemctl is-enabled -q {unit} 2>/dev/null; then unit_do reload-or-restart {unit} {hoist} {ini} {env}; " +
            $"else as_app {hoist} serve --ini {ini} --daemon; fi";
    }

    public static ScriptBuilder Start(string name, bool dryRun) =>
        new ScriptBuilder(name)
            .Raw($"M={ShellQuote.Quote(Marker.Prefix)}")
            .Raw($"DRY={(dryRun ? 1 : 0)}")
            .Raw(SetupPrelude.Text)
            .Raw("[ \"$(id -u)\" = 0 ] || fail \"hoist setup needs root on $(hostname): connect as root, or as a user with passwordless sudo\"")
            // The user Hoist logs in as (root, or the one sudo ran this for): deploys run as it, so it owns deploy_to.
            .Raw("O=${SUDO_USER:-root}; OG=$(id -gn \"$O\")");

    public static ShellCommand Set(string name, string value) => Set(name, ShellValue.Plain(value));

    public static ShellCommand Set(string name, ShellValue value) => new(new AssignmentPart(name, value));

    /// <summary><c>function 'arg'... || true</c>: an item whose "nothing changed" (status 1) must not stop the script.</summary>
    public static ShellCommand Call(string function, IEnumerable<string> args) =>
        new([ShellCommand.Raw(function), .. args.Select(a => (ShellPart)a), ShellCommand.Raw("|| true")]);

    /// <summary>The hoist binary at hoist_path (its files next to it, in lib/hoist), from the payload, when its hash differs.</summary>
    public static void AddHoistBinary(ScriptBuilder script, string hoistPath, string hash)
    {
        script.Line(Set("hoist", hoistPath))
            .Line(Set("lib", LibFor(hoistPath)))
            .Line(Set("hash", hash))
            .Raw("""
                wrapper=$(printf '#!/bin/sh\n# written by hoist setup\nexec %s/hoist "$@"' "$lib")
                if [ "$(cat "$lib/.hoist-hash" 2>/dev/null)" = "$hash" ] && same_file "$hoist" "$wrapper"$'\n' 755 root root; then
                  item "hoist ($hoist)" ok
                elif [ "$DRY" = 1 ]; then
                  echo "would install hoist $hash in $lib"; item "hoist ($hoist)" would-change
                else
                  mkdir -p "$(dirname "$hoist")" "$(dirname "$lib")"
                  rm -rf "$lib.new"; mkdir -p "$lib.new"
                  echo "${M}payload=wanted"
                  tar --no-same-owner -xf - -C "$lib.new" || fail "could not unpack hoist into $lib.new"
                  echo "$hash" >"$lib.new/.hoist-hash"
                  chown -R root:root "$lib.new"; chmod -R go-w "$lib.new"; chmod 755 "$lib.new"
                  "$lib.new/hoist" --version >/dev/null 2>&1 || { rm -rf "$lib.new"; fail "the hoist being installed does not run on $(hostname) ($(uname -m)): a framework-dependent hoist needs the .NET 10 runtime there; publish hoist self-contained for linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/') (see the README) and run setup with that one"; }
                  rm -rf "$lib.old"; if [ -d "$lib" ]; then mv "$lib" "$lib.old"; fi; mv "$lib.new" "$lib"; rm -rf "$lib.old"
                  put_file "$hoist" "$hoist" 755 root root "$wrapper"$'\n' 0 >/dev/null || true
                  item "hoist ($hoist)" changed
                fi
                """);
    }
}
