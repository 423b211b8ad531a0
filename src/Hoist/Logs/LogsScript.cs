namespace Hoist.Logs;

using System.Globalization;
using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;

/// <summary>
/// The script <c>hoist logs</c> runs on each host: the last lines of each source, as markers to merge by time, or
/// (<c>-f</c>) each source followed by name (<c>tail -F</c>, so a rotation of logto to <c>.1</c> is followed to the new
/// file), its lines printed as they come. Files the login user cannot read, and the journal and nginx's log when it is
/// not root, are read through <c>sudo -n</c>. The --grep pattern is one quoted word, never script text.
/// </summary>
internal static class LogsScript
{
    public const string NginxErrorLog = "/var/log/nginx/error.log";

    /// <summary>The exit status that says grep refused the pattern.</summary>
    public const int BadPattern = 3;

    /// <summary>The keys each source's lines come back under (<see cref="Gather"/>).</summary>
    public static readonly IReadOnlyDictionary<LogSource, ReportKey> Keys = new Dictionary<LogSource, ReportKey>
    {
        [LogSource.Logto] = new("logto"),
        [LogSource.Journal] = new("journal"),
        [LogSource.Nginx] = new("nginx"),
    };

    /// <summary>The line the follow script prints every second: it fails once the channel is gone, and ends the script's tails.</summary>
    public static string Beat => Marker.Prefix + "beat";

    /// <summary>The sources the config has: logto where serve: sets it, the journal with hoist setup's unit, nginx's when asked.</summary>
    public static IReadOnlyList<LogSource> Sources(HoistConfig config, bool nginx) =>
        new[]
        {
            config.Serve?.LogTo is not null ? LogSource.Logto : (LogSource?)null,
            config.Setup is not null ? LogSource.Journal : null,
            nginx ? LogSource.Nginx : null,
        }.OfType<LogSource>().ToList();

    public static Script Gather(HoistConfig config, LogsRequest request)
    {
        var script = Start(config, request, "logs");
        foreach (var source in Sources(config, request.Nginx))
        {
            ShellPart prefix = ShellCommand.Raw("| sed"), sed = "s/^/" + Keys[source].LineStart + "/";
            if (source == LogSource.Journal)
            {
                var parts = Journal(config, request, follow: false);
                script.Raw("if [ -d /run/systemd/system ]; then")
                    .Line([ShellCommand.Raw("  "), .. parts, .. Filter(request, follow: false, since: false), .. Tail(request), prefix, sed])
                    .Raw("fi");
                continue;
            }

            script.Raw("f=" + File(config, source))
                .Line([ShellCommand.Raw("if [ -e \"$f\" ]; then read_log"), request.Grep is null && request.Since is null ? "tail" : "cat", .. (request.Grep is null && request.Since is null ? (ShellPart[])["-n", Count(request)] : []),
                    ShellCommand.Raw("\"$f\""), .. Filter(request, follow: false, since: true, source), .. (request.Grep is null && request.Since is null ? [] : Tail(request)), prefix, sed, ShellCommand.Raw("; fi")]);
        }

        return script.Raw("exit 0").Build();
    }

    public static Script Follow(HoistConfig config, LogsRequest request)
    {
        var script = Start(config, request, "logs -f")
            // Job control: each source's pipeline in a process group of its own, so that one kill ends all of it.
            .Raw("set -m")
            .Raw("stop_all() { for p in $(jobs -p); do kill -TERM -- \"-$p\" 2>/dev/null; done; }")
            .Raw("trap 'stop_all; exit 0' TERM HUP INT");
        foreach (var source in Sources(config, request.Nginx))
        {
            var tag = source == LogSource.Logto ? [] : new ShellPart[] { ShellCommand.Raw("| sed -u"), $"s/^/{Tag(source)}/" };
            if (source == LogSource.Journal)
            {
                script.Line([ShellCommand.Raw("if [ -d /run/systemd/system ]; then"), .. Journal(config, request, follow: true),
                    .. Filter(request, follow: true, since: false), .. tag, ShellCommand.Raw("& fi")]);
                continue;
            }

            script.Raw("f=" + File(config, source))
                .Line([ShellCommand.Raw("read_log tail -n"), Count(request), "-F", ShellCommand.Raw("\"$f\""), .. Filter(request, follow: true, since: false), .. tag, ShellCommand.Raw("&")]);
        }

        // No pty, so a closed channel sends the host nothing: the first write after it fails, which ends the beat and then every tail.
        return script.Line(ShellCommand.Raw("( trap '' PIPE; while printf '%s\\n'"), Beat, ShellCommand.Raw("; do sleep 1; done ) &"))
            .Raw("wait \"$!\"")
            .Raw("stop_all")
            .Raw("exit 0")
            .Build();
    }

    /// <summary>How a source's lines are shown after the host: the journal's and nginx's tagged, logto's as they are.</summary>
    public static string Tag(LogSource source) => source switch
    {
        LogSource.Journal => "journal: ",
        LogSource.Nginx => "nginx: ",
        _ => "",
    };

    private static ScriptBuilder Start(HoistConfig config, LogsRequest request, string name)
    {
        var script = HostSecrets.Report(new ScriptBuilder(name).Line(DeployPaths.AssignRoot(config.DeployTo)), config)
            .Raw("set +e")
            .Raw("as_root() { if [ \"$(id -u)\" = 0 ]; then \"$@\"; else sudo -n \"$@\"; fi; }")
            // A log the login user may read is read as it; hoist serve's (the app user's, 0640) and nginx's through sudo -n.
            .Raw("read_log() { local f=\"${*: -1}\"; if [ -r \"$f\" ]; then \"$@\"; else as_root \"$@\"; fi; }");
        if (request.Grep is { } pattern)
        {
            script.Line(ShellCommand.Raw("grep -E -e"), pattern, ShellCommand.Raw($"</dev/null >/dev/null; [ $? -le 1 ] || exit {BadPattern}"));
        }

        return script;
    }

    private static string File(HoistConfig config, LogSource source) =>
        source == LogSource.Nginx ? NginxErrorLog : DeployPaths.OnHost(config.Serve!.LogTo!);

    private static ShellPart[] Journal(HoistConfig config, LogsRequest request, bool follow)
    {
        var parts = new List<ShellPart> { ShellCommand.Raw("as_root journalctl -u"), config.App + ".service", "--no-pager", "-q", "-o", "short-iso-precise", "--utc" };
        if (request.Since is { } since)
        {
            parts.AddRange(["--since", "@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)]);
        }

        if (follow || request.Grep is null)
        {
            parts.AddRange(["-n", Count(request)]);
        }

        if (follow)
        {
            parts.Add("-f");
        }

        return [.. parts];
    }

    /// <summary>--since (files only: journalctl takes it itself) and --grep, on the host, before the count is cut.</summary>
    private static ShellPart[] Filter(LogsRequest request, bool follow, bool since, LogSource source = LogSource.Logto)
    {
        var parts = new List<ShellPart>();
        if (since && request.Since is { } time)
        {
            // Stamps that sort as text: logto's ISO 8601 (UTC), nginx's local "yyyy/MM/dd HH:mm:ss" (hosts kept in UTC).
            var stamp = source == LogSource.Nginx
                ? time.UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)
                : time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            parts.AddRange([ShellCommand.Raw("| LC_ALL=C awk -v"), "s=" + stamp, "$0 >= s"]);
        }

        if (request.Grep is { } pattern)
        {
            parts.AddRange([ShellCommand.Raw(follow ? "| grep --line-buffered -E -e" : "| grep -E -e"), pattern]);
        }

        return [.. parts];
    }

    private static ShellPart[] Tail(LogsRequest request) => [ShellCommand.Raw("| tail -n"), Count(request)];

    private static string Count(LogsRequest request) => request.Lines.ToString(CultureInfo.InvariantCulture);
}
