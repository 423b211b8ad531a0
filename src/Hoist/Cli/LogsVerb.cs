namespace Hoist.Cli;

using System.CommandLine;
using System.Globalization;
using Hoist.Logs;
using Hoist.Output;

/// <summary><c>hoist logs [-f] [--host H] [--since 10m] [--grep RE] [-n N] [--nginx]</c>.</summary>
internal static class LogsVerb
{
    private static readonly Option<bool> Follow = new("--follow", "-f")
    {
        Description = "Keep printing new lines as they come (by name, so across hoist serve's rotation of logto to .1), until Ctrl-C (exit 0). " +
            "Lines of different hosts are printed in the order they arrive: none waits for another host's",
    };

    private static readonly Option<int?> Lines = new("--lines", "-n")
    {
        Description = $"The last N lines of each host, 1 to {LogsRequest.MaxLines} [default: {LogsRequest.DefaultLines}; with -f, {LogsRequest.DefaultFollowLines} of each source]",
        HelpName = "N",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= LogsRequest.MaxLines)
            {
                return n;
            }

            result.AddError($"-n/--lines must be a whole number from 1 to {LogsRequest.MaxLines}, not '{TerminalText.Visible(token, oneLine: true)}'");
            return null;
        },
    };

    private static readonly Option<string?> Since = new("--since")
    {
        Description = "Only lines from this time on: an age (30s, 10m, 2h, 1d) or an ISO 8601 time (2026-12-03T14:00:00Z; UTC unless it gives an offset)",
        HelpName = "WHEN",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (LogSince.Parse(token, DateTimeOffset.UtcNow, out var error) is null)
            {
                result.AddError("--since " + TerminalText.Visible(error!, oneLine: true));
            }

            return token;
        },
    };

    private static readonly Option<string?> Grep = new("--grep")
    {
        Description = "Only lines matching this extended regular expression (grep -E, run on the hosts; passed as one quoted word)",
        HelpName = "RE",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (LogsRequest.GrepProblem(token) is { } problem)
            {
                result.AddError(problem);
            }

            return token;
        },
    };

    private static readonly Option<bool> Nginx = new("--nginx")
    {
        Description = $"Add nginx's error log ({LogsScript.NginxErrorLog}; read as root: directly, or through sudo -n)",
    };

    public static Command Build()
    {
        var command = new Command("logs",
            "Print each web host's logs, each line prefixed by [host]: hoist serve's logto (its own lines and its workers' output, " +
            "each stamped in UTC) and, where systemd runs hoist setup's unit, the unit's journal (tagged journal:), merged by time, " +
            "one SSH exec channel per host. Files the login user cannot read (logto is the app user's), the journal and nginx's log are " +
            "read through sudo -n unless it is root. Secrets the hosts' .env files hold are shown as [REDACTED]. With -f, Ctrl-C " +
            "stops every host's tail. Exit codes: 0 done; 1 a host's logs could not be read to the end (named); 2 usage or config error " +
            "(a --grep pattern grep -E refuses, too).")
        {
            Follow, Lines, Since, Grep, Nginx, GlobalOptions.Role, GlobalOptions.Host,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
        {
            var follow = parse.GetValue(Follow);
            var since = parse.GetValue(Since) is { } text ? LogSince.Parse(text, context.Clock.GetUtcNow(), out _) : null;
            var request = new LogsRequest(follow, parse.GetValue(Lines) ?? (follow ? LogsRequest.DefaultFollowLines : LogsRequest.DefaultLines),
                since, parse.GetValue(Grep), parse.GetValue(Nginx));
            return new LogReader(context).ReadAsync(GlobalOptions.AppHosts(context, parse), request, cancel);
        }, announce: false, endsOnSignal: true));
        return command;
    }
}
