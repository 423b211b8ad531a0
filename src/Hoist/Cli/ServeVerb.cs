namespace Hoist.Cli;

using System.CommandLine;
using System.Text.Json;
using Hoist.Output;
using Hoist.Serve;
using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Shell;

/// <summary><c>hoist serve</c>: run the app server, or ask a running one for its status, a reload (with a hold), a commit or revert of a hold, or a stop.</summary>
internal static class ServeVerb
{
    private static readonly Option<string?> Ini = new("--ini")
    {
        Description = "A uWSGI-style ini file ([uwsgi] section; see examples/serve.example.ini). Without it, the serve: section of hoist.yml (-c) is read",
        HelpName = "FILE",
    };

    private static readonly Option<bool> Status = new("--status")
    {
        Description = "Print the running server's status (workers, requests, memory, last reload, each failing slot's last start failure); exits 1 if none runs for this config. " +
            "Like --reload and --stop, it believes only a control socket whose listener runs as the same user, as root, or is the pid in pidfile (SO_PEERCRED), " +
            "and exits 1 naming anyone else's",
    };

    private static readonly Option<bool> Json = new("--json") { Description = "With --status: print the raw JSON" };

    private static readonly Option<bool> Reload = new("--reload")
    {
        Description = "Reload the running server gracefully (new workers one at a time, each ready before an old one drains); exits 1 if the reload failed (a new worker never got ready, or died before the reload ended: the slots it had moved go back to the old release), " +
            "0 if the server is stopping and abandons it (\"reload abandoned: hoist serve is stopping\")",
    };

    private static readonly Option<int?> Hold = new("--hold")
    {
        Description = $"With --reload (or --daemon, when one runs): keep the old workers alive once drained, out of rotation (\"held\"), for up to SECONDS (1 to {ControlCommand.MaxHoldSeconds}: a day at most), " +
            "so that --revert can put them back at once; --commit stops them, and so does the hold's end. Costs their memory meanwhile (twice the workers)",
        HelpName = "SECONDS",
    };

    private static readonly Option<bool> Commit = new("--commit")
    {
        Description = "Stop the workers a reload with --hold keeps (the new ones stay); exits 0 with nothing held too",
    };

    private static readonly Option<bool> Revert = new("--revert")
    {
        Description = "Put the workers a reload with --hold keeps back in rotation at once (their slots go back to the previous release), then drain and stop the new ones; " +
            "exits 1 if nothing is held (then reload instead)",
    };

    private static readonly Option<bool> Stop = new("--stop")
    {
        Description = "Stop the running server gracefully (as SIGTERM does) and return once it has exited (in-flight requests finished, workers stopped); " +
            "exits 1 if it still runs after three times worker-reload-mercy plus 30 s. With none running (no control socket, or one a killed server left) it says so and exits 0; " +
            "a server still starting its first workers has no control socket yet",
    };

    private static readonly Option<bool> Daemon = new("--daemon")
    {
        Description = "Start the server in the background and return once its workers are ready (exit 1 with their last output lines as soon as every missing one " +
            "failed its first start; the server keeps retrying them); if one already runs for this config, reload it instead. " +
            "For deploy's reload: command (`\"$HOIST_BIN\" serve --ini current/serve.ini --daemon`). Its output goes to logto",
    };

    /// <summary>For setup's and deploy's scripts (hide_env_values), not people: so .env is read by one parser only.</summary>
    private static readonly Option<bool> Redact = new("--redact")
    {
        Description = "Copy stdin to stdout with each value of the config's env-file (4+ characters) and any URL's password as [REDACTED]",
        Hidden = true,
    };

    public static Command Build()
    {
        var command = new Command("serve",
            "Run the app server (uWSGI's role): one listener (unix socket or TCP) in front of N worker processes of your app, " +
            "replaced one at a time on reload (SIGHUP, the touch-reload file, or --reload) without dropping a request; " +
            "crashed workers restart with backoff; SIGTERM drains and stops. " +
            "A reload with --hold keeps the old workers alive out of rotation until --commit, --revert (back at once) or the hold's end. " +
            "One of --status, --reload, --commit, --revert, --stop, --daemon at a time (two exit 2). " +
            "As a Type=notify systemd unit (NOTIFY_SOCKET set) it reports READY=1 once every worker is ready, " +
            "or exits 1 with the reason if one never gets ready.")
        {
            Ini, Status, Json, Reload, Hold, Commit, Revert, Stop, Daemon, Redact,
        };
        command.SetAction(VerbRunner.Plain(async (parse, cancel) =>
        {
            var seconds = parse.GetValue(Hold);
            var actions = new[] { Reload, Commit, Revert, Stop, Status, Daemon }.Where(parse.GetValue).Select(o => o.Name).ToList();
            if (ServeOptionCheck.Problem(actions, seconds) is { } problem)
            {
                throw Core.HoistException.Usage(problem);
            }

            if (parse.GetValue(GlobalOptions.Destination) is not null)
            {
                // On a host hoist serve runs from serve.ini, which hoist setup writes from the destination's merged serve:.
                throw Core.HoistException.Usage("hoist serve reads one file (--ini, or -c hoist.yml's serve:) and takes no -d; " +
                    "`hoist -d NAME setup` writes the destination's serve: into serve.ini on its hosts: run hoist serve --ini there");
            }

            var config = Load(parse.GetValue(Ini) ?? parse.GetValue(GlobalOptions.Config));
            var hold = seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;

            if (parse.GetValue(Status))
            {
                var answer = await ControlClient.AskAsync(config.ControlSocket, "status", TimeSpan.FromSeconds(10), config.SourcePath, config.PidFile).ConfigureAwait(false);
                Console.WriteLine(parse.GetValue(Json) ? answer : TerminalText.Visible(StatusText.Render(JsonSerializer.Deserialize(answer, ControlJson.Default.ServeStatus)!)));
                return 0;
            }

            if (parse.GetValue(Redact))
            {
                return await RedactAsync(config, cancel).ConfigureAwait(false);
            }

            if (parse.GetValue(Daemon))
            {
                return await ServeDaemon.StartOrReloadAsync(config, () => ReloadAsync(config, hold)).ConfigureAwait(false);
            }

            if (parse.GetValue(Reload))
            {
                return await ReloadAsync(config, hold).ConfigureAwait(false);
            }

            if (parse.GetValue(Commit) || parse.GetValue(Revert))
            {
                return await AskHoldAsync(config, parse.GetValue(Commit) ? "commit" : "revert").ConfigureAwait(false);
            }

            if (parse.GetValue(Stop))
            {
                return await ServeStopper.StopAsync(config, TimeProvider.System).ConfigureAwait(false);
            }

            return await new ServeHost(config, TimeProvider.System).RunAsync(cancel).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> ReloadAsync(ServeConfig config, TimeSpan? hold)
    {
        var command = hold is { } span ? ControlCommand.ReloadWithHold(span) : "reload";
        var answer = JsonSerializer.Deserialize(await ControlClient.AskAsync(config.ControlSocket, command, config.ReloadWait, config.SourcePath, config.PidFile).ConfigureAwait(false), ControlJson.Default.ReloadAnswer)!;
        // A reload the server gave up because it is stopping is no failure: as ExecReload, it would leave the stopped unit failed.
        var fine = answer.Ok || answer.Abandoned;
        (fine ? Console.Out : Console.Error).WriteLine((fine ? "" : "error: ") + TerminalText.Visible(answer.Message));
        return fine ? 0 : 1;
    }

    /// <summary>--commit or --revert: as long as a reload may take (a revert whose held worker died starts its slot anew).</summary>
    private static async Task<int> AskHoldAsync(ServeConfig config, string command)
    {
        var answer = JsonSerializer.Deserialize(await ControlClient.AskAsync(config.ControlSocket, command, config.ReloadWait, config.SourcePath, config.PidFile).ConfigureAwait(false), ControlJson.Default.ReloadAnswer)!;
        (answer.Ok ? Console.Out : Console.Error).WriteLine((answer.Ok ? "" : "error: ") + TerminalText.Visible(answer.Message));
        return answer.Ok ? 0 : 1;
    }

    private static async Task<int> RedactAsync(ServeConfig config, CancellationToken cancel)
    {
        var redactor = SecretRedactor.FromEnvFile(config.EnvFile);
        while (await Console.In.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            await Console.Out.WriteLineAsync(redactor.Redact(line)).ConfigureAwait(false);
        }

        return 0;
    }

    private static ServeConfig Load(string? path)
    {
        var result = ServeConfigLoader.Load(path ?? Path.Combine(Directory.GetCurrentDirectory(), "hoist.yml"), VerbRunner.Environment());
        // On stderr, before anything starts: under systemd it lands in the unit's journal, at every (re)start.
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine("warning: " + Output.TerminalText.Visible(warning.ToString(), oneLine: true));
        }

        return result.Config ?? throw VerbRunner.ConfigErrors(result.Errors);
    }

    /// <summary>What a reload, commit or revert answers on the control socket, as this verb reads it.</summary>
    internal sealed record ReloadAnswer(bool Ok, string Message, bool Abandoned);
}
