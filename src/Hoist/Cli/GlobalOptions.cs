namespace Hoist.Cli;

using System.CommandLine;

/// <summary>Options every verb takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "The config file: a regular file of UTF-8 text, at most 1 MiB [default: hoist.yml in the current folder]",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>
    /// <c>-d NAME</c>: hoist.NAME.yml merged over hoist.yml. No HOIST_DESTINATION variable: one left exported from
    /// another shell would send a deploy to an environment nobody named on the command line.
    /// </summary>
    public static readonly Option<string?> Destination = new("--destination", "-d")
    {
        Description = "The destination (e.g. staging): merge hoist.NAME.yml, beside the config file (-c deploy/app.yml: deploy/app.NAME.yml), " +
            "over it; mappings merge key by key, a value or list replaces, key: ~ removes. Letters, digits, '-' and '_'",
        HelpName = "NAME",
        Recursive = true,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Hoist.Config.Destination.Problem(token) is { } problem)
            {
                result.AddError("-d/--destination: " + problem);
            }

            return token;
        },
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show the scripts run on each host (secrets redacted) and stack traces on errors",
        Recursive = true,
    };

    public static readonly Option<string?> Role = new("--role", "-r")
    {
        Description = "Only the hosts of this role",
        HelpName = "ROLE",
    };

    public static readonly Option<string?> Host = new("--host", "-H")
    {
        Description = "Only this host (as written in hoist.yml, e.g. 10.0.0.5 or 127.0.0.1:2222)",
        HelpName = "HOST",
    };

    public static readonly Option<int?> Parallel = CreateParallel();

    public static readonly Option<bool> DryRun = new("--dry-run", "-n")
    {
        Description = "Print the exact commands for each host, with secrets redacted, and change nothing",
    };

    /// <summary><c>--batch</c> of deploy and rollback: overrides <c>deploy.batch</c>.</summary>
    public static readonly Option<Hoist.Config.BatchSize?> Batch = new("--batch")
    {
        Description = "Switch N hosts (or N% of them, rounded up) at a time, each batch healthy (and, with lb hosts, out of their " +
            "upstream while it switches) before the next [default: deploy.batch, else every host at once]",
        HelpName = "N|N%",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var batch = Hoist.Config.BatchSize.Parse(token, out var error);
            if (error is not null)
            {
                result.AddError("--batch " + Hoist.Output.TerminalText.Visible(error, oneLine: true));
            }

            return batch;
        },
    };

    /// <summary>The run's context with <c>--batch</c>, when given, in place of <c>deploy.batch</c>.</summary>
    public static Hoist.Core.RunContext WithBatch(Hoist.Core.RunContext context, ParseResult parse) =>
        parse.GetValue(Batch) is { } batch ? context with { Config = context.Config with { Deploy = context.Config.Deploy with { Batch = batch } } } : context;

    private static Option<int?> CreateParallel()
    {
        // A parser of its own, not a validator: System.CommandLine's validators run even when its parsing failed, and
        // reading the value there throws (an unhandled exception, exit 134, for `--parallel abc` or a number past int).
        return new Option<int?>("--parallel")
        {
            Description = $"Work on at most N hosts at a time (connect, lock, build, switch...), N from 1 to {int.MaxValue} [default: all hosts at once]",
            HelpName = "N",
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1)
                {
                    return n;
                }

                result.AddError($"--parallel must be a whole number from 1 to {int.MaxValue}, not '{Hoist.Output.TerminalText.Visible(token, oneLine: true)}'");
                return null;
            },
        };
    }

    /// <summary>The hosts a verb works on: all of them, narrowed by --role and --host where the verb takes them.</summary>
    public static IReadOnlyList<Hoist.Config.HostConfig> SelectedHosts(Hoist.Core.RunContext context, ParseResult parse) =>
        context.SelectHosts(parse.GetValue(Role), parse.GetValue(Host));

    /// <summary>
    /// The hosts that get releases: as <see cref="SelectedHosts"/>, without hosts whose only role is db (PostgreSQL's,
    /// set up by hoist setup) unless --role names it.
    /// </summary>
    public static IReadOnlyList<Hoist.Config.HostConfig> AppHosts(Hoist.Core.RunContext context, ParseResult parse)
    {
        var hosts = SelectedHosts(context, parse);
        if (parse.GetValue(Role) is not null)
        {
            return hosts;
        }

        var app = hosts.Where(context.Config.GetsReleases).ToList();
        if (app.Count == 0 && hosts.Count > 0)
        {
            throw Hoist.Core.HoistException.Usage($"{string.Join(", ", hosts.Select(h => h.Display))} only has the db or lb role, which get no releases; name it with --role to do it anyway");
        }

        return app;
    }
}
