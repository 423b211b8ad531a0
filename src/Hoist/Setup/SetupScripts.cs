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
    /// <remarks>
    /// The deploy runs as the login user: root, or one with passwordless sudo. With <paramref name="hold"/> (a deploy's
    /// switch) the running hoist serve is asked directly, as the app user, for a reload that keeps the old workers
    /// until the gate's commit or revert (`systemctl reload` cannot carry an argument); a unit not running is started
    /// by unit_do as before, and --daemon starts a server where none runs.
    /// </remarks>
    public static string ReloadCommand(HoistConfig config, TimeSpan? hold = null) => Prelude(config) + Reload(config, hold);

    /// <summary>
    /// How long a deploy's switch asks hoist serve to hold the old workers: for each batch from this host's to the last
    /// (<see cref="BatchPlan"/>), since the fleet commits only once every batch passed its gate, that gate's time and a
    /// margin (its reload, its lb drain); no longer, so that a killed deploy never holds them for good. A day at most,
    /// as hoist serve takes no longer hold: a deploy that outlasts it (a day of batches) reverts by a full reload.
    /// </summary>
    /// <param name="batches">The batches still to switch, this host's included: 1 for the last (or only) one.</param>
    public static TimeSpan HoldFor(HoistConfig config, int batches = 1) =>
        TimeSpan.FromSeconds(Math.Min((config.Deploy.HealthTimeoutSeconds + 60L) * Math.Max(batches, 1), Serve.Control.ControlCommand.MaxHoldSeconds));

    /// <summary>The gate's commit: the old workers the switch's reload held are stopped.</summary>
    public static string CommitCommand(HoistConfig config) => Prelude(config) + Ask(config, "commit");

    /// <summary>
    /// The gate's revert: the held old workers back in rotation at once; where none are held (the switch's reload
    /// started the server, or the hold ended), a full reload onto the previous release, as before.
    /// </summary>
    public static string RevertCommand(HoistConfig config) =>
        Prelude(config) + Ask(config, "revert") +
        $" || {{ echo 'nothing held to put back: reloading onto the previous release' >&2; {Reload(config, null)}; }}";

    /// <summary>
    /// The running hoist serve asked <paramref name="command"/> (commit, revert): straight over its control socket
    /// (serve_quick), where the script can know that socket's path, else through the host's hoist (serve_ask).
    /// </summary>
    private static string Ask(HoistConfig config, string command)
    {
        var (hoist, ini, env) = ServeArgs(config);
        if (ReachableControl(config.Serve!) is not { } control)
        {
            // Under systemd such a socket is out of reach and the switch reloaded through systemctl, holding nothing:
            // a commit has nothing to stop, a revert nothing to put back (false: the caller's full reload follows).
            var unit = ShellQuote.Quote(config.App + ".service");
            return $"if [ -d /run/systemd/system ] && systemctl is-enabled -q {unit} 2>/dev/null; then {(command == "commit" ? ":" : "false")}; " +
                $"else serve_ask {hoist} {ini} {env} --{command}; fi";
        }

        var wait = ((int)Math.Ceiling(config.Serve!.ReloadWait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"serve_quick {control} {command} {wait} {hoist} {ini} {env}";
    }

    /// <summary>
    /// The control socket's path, quoted, where it is reached from outside the unit: not a TCP listener's default,
    /// which is in the unit's private /tmp (and depends on the user who asks).
    /// </summary>
    private static string? ReachableControl(ServeConfig serve) =>
        serve.Listen is UnixListen || serve.ControlSocketSet ? ShellQuote.Quote(serve.ControlSocket) : null;

    private static string Reload(HoistConfig config, TimeSpan? hold)
    {
        var (hoist, ini, env) = ServeArgs(config);
        var unit = ShellQuote.Quote(config.App + ".service");
        var held = hold is { } span ? " --hold " + ((int)span.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        // The unit's control socket is reached from outside it only where it is not in the unit's private /tmp (a TCP
        // listener's default): elsewhere, and when the unit or its socket is not there, systemd reloads (or starts) it.
        var control = ReachableControl(config.Serve!);
        var onUnit = hold is null || control is null
            ? $"unit_do reload-or-restart {unit} {hoist} {ini} {env}"
            : $"if as_root systemctl is-active -q {unit} && as_root test -S {control}; then serve_ask {hoist} {ini} {env} --reload{held}; " +
              $"else unit_do reload-or-restart {unit} {hoist} {ini} {env}; fi";
        return $"if [ -d /run/systemd/system ] && systemctl is-enabled -q {unit} 2>/dev/null; then {onUnit}; " +
            $"else as_app {hoist} serve --ini {ini} --daemon{held}; fi";
    }

    /// <summary>as_root and as_app for the login user (root, or one with passwordless sudo), and <see cref="UnitScript"/>'s functions.</summary>
    private static string Prelude(HoistConfig config) => AsFunctions(config) + "\n" + UnitScript.Functions + "\n";

    /// <summary>One line defining as_root and as_app for the login user: root, or one with passwordless sudo.</summary>
    public static string AsFunctions(HoistConfig config)
    {
        var user = ShellQuote.Quote(config.Setup!.User);
        return $"if [ \"$(id -u)\" = 0 ]; then as_root() {{ \"$@\"; }}; as_app() {{ runuser -u {user} -- \"$@\"; }}; " +
            $"else as_root() {{ sudo -n \"$@\"; }}; as_app() {{ sudo -n -u {user} -- \"$@\"; }}; fi";
    }

    private static (string Hoist, string Ini, string Env) ServeArgs(HoistConfig config) =>
        (ShellQuote.Quote(config.Setup!.HoistPath), ShellQuote.Quote(ServeIni(config.DeployTo)), ShellQuote.Quote(EnvFile(config.DeployTo)));

    public static ScriptBuilder Start(string name, bool dryRun) =>
        new ScriptBuilder(name)
            .Raw(ReportKey.AssignPrefix)
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
            .Raw($$"""
                wrapper=$(printf '#!/bin/sh\n# written by hoist setup\nexec %s/hoist "$@"' "$lib")
                if [ "$(cat "$lib/.hoist-hash" 2>/dev/null)" = "$hash" ] && same_file "$hoist" "$wrapper"$'\n' 755 root root; then
                  item "hoist ($hoist)" ok
                elif [ "$DRY" = 1 ]; then
                  echo "would install hoist $hash in $lib"; item "hoist ($hoist)" would-change
                else
                  mkdir -p "$(dirname "$hoist")" "$(dirname "$lib")"
                  rm -rf "$lib.new"; mkdir -p "$lib.new"
                  {{ScriptMarkers.Payload.EchoViaPrefix(ScriptMarkers.PayloadWanted)}}
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
