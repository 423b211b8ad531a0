namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Config;
using Hoist.Core;
using Hoist.Output;
using Hoist.Remote;
using System.Runtime.InteropServices;
using Spectre.Console;

/// <summary>
/// The one place verbs are run from: loads the config, picks the output, and turns every failure into
/// <c>error: ...</c> on stderr with its exit code (see <see cref="ExitCodes"/>; a stack trace only with --verbose).
/// </summary>
internal static class VerbRunner
{
    /// <summary>A verb that works on hosts from hoist.yml; a second SIGINT or SIGTERM exits at once (see <see cref="Run"/>).</summary>
    /// <param name="announce">
    /// Under -d, start with the destination and its files (<see cref="RunContext.DestinationLine"/>); not for a verb
    /// whose output is another's (exec) or that says it itself (check).
    /// </param>
    /// <param name="endsOnSignal">
    /// A signal is the verb's normal end (hoist logs -f): the first cancels it without a word, a second exits at once.
    /// </param>
    public static Func<ParseResult, CancellationToken, Task<int>> With(
        Func<RunContext, ParseResult, CancellationToken, Task<int>> verb, bool acceptNewHostKeys = false, bool announce = true, bool endsOnSignal = false)
    {
        var leftovers = new Leftovers();
        return Run((parse, cancel) =>
        {
            var config = LoadConfig(parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.Destination));
            var reporter = CreateReporter(parse.GetValue(GlobalOptions.Verbose));
            var accept = acceptNewHostKeys && parse.GetValue(CheckVerb.AcceptNewHostKeys);
            var context = new RunContext(config, reporter, new HostKeyPolicy(config.Ssh.KnownHostsPath, accept), TimeProvider.System)
            {
                Parallel = parse.GetValue(GlobalOptions.Parallel) ?? 0,
                Leftovers = leftovers,
            };
            if (announce && context.DestinationLine is { } line)
            {
                reporter.Info(line);
            }

            return verb(context, parse, cancel);
        }, leftovers, endsOnSignal);
    }

    /// <summary>
    /// Any verb, with the error handling and signals: SIGINT or SIGTERM cancels the verb's token (once), and the verb
    /// decides how to wind down (a deploy cleans up its hosts, hoist serve drains its workers).
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Plain(Func<ParseResult, CancellationToken, Task<int>> verb) => Run(verb, null);

    /// <summary>
    /// <see cref="Plain"/>; with <paramref name="leftovers"/>, a second signal does not wait for the cleanup the first
    /// began (a silent host can hold it up): hoist exits 130 at once, saying what may be left and how to clear it.
    /// </summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Run(Func<ParseResult, CancellationToken, Task<int>> verb, Leftovers? leftovers, bool endsOnSignal = false) =>
        async (parse, _) =>
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            using var stop = new CancellationTokenSource();
            var signals = 0;
            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                if (Interlocked.Increment(ref signals) > 1 && leftovers is not null)
                {
                    ExitNow(leftovers);
                }

                if (leftovers is null)
                {
                    stop.Cancel();
                    return;
                }

                if (!endsOnSignal)
                {
                    Console.Error.WriteLine("interrupted: cleaning up (Ctrl-C or SIGTERM again exits at once, without cleaning up)");
                }

                // Off the signal thread: cancelling runs every host's callbacks, and the next signal must still be seen.
                ThreadPool.QueueUserWorkItem(static s => CancelQuietly((CancellationTokenSource)s!), stop);
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            try
            {
                return await verb(parse, stop.Token).ConfigureAwait(false);
            }
            catch (HoistException error)
            {
                return Fail(error.Message, verbose ? error : null, error.ExitCode);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return Fail("interrupted", null, 130);
            }
            catch (Exception error)
            {
                return Fail(error.Message + (verbose ? "" : " (run with --verbose for details)"), verbose ? error : null, 1);
            }
        };

    /// <summary>The environment as the config loaders take it.</summary>
    public static IReadOnlyDictionary<string, string> Environment() =>
        System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");

    /// <summary>Turns config errors into one exception whose message lists them all (a usage error: fix the file).</summary>
    public static HoistException ConfigErrors(IEnumerable<ConfigError> errors) =>
        HoistException.Usage(string.Join("\nerror: ", errors.Select(e => e.ToString())));

    private static HoistConfig LoadConfig(string? path, string? destination)
    {
        var file = path ?? Path.Combine(Directory.GetCurrentDirectory(), "hoist.yml");
        var result = ConfigLoader.Load(file, Environment(), destination);
        return result.Config ?? throw ConfigErrors(result.Errors);
    }

    private static IReporter CreateReporter(bool verbose) =>
        Console.IsOutputRedirected || Console.IsErrorRedirected
            ? new PlainReporter(Console.Out, Console.Error, verbose)
            : new SpectreReporter(AnsiConsole.Console, verbose);

    private static void CancelQuietly(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The verb ended meanwhile.
        }
    }

    private static void ExitNow(Leftovers leftovers)
    {
        var notes = leftovers.Notes;
        Fail("interrupted again: exiting now, without cleaning up" +
            (notes.Count == 0 ? "" : "; this may be left:" + string.Concat(notes.Select(n => "\n  - " + n))), null, 130);
        Console.Error.Flush();
        System.Environment.Exit(130);
    }

    private static int Fail(string message, Exception? detail, int exitCode)
    {
        Console.Out.Flush();
        // A message or a stack trace can quote host output, a config value or a secret a library put in its text.
        Console.Error.WriteLine("error: " + TerminalText.Clean(message));
        if (detail is not null)
        {
            Console.Error.WriteLine(TerminalText.Clean(detail.ToString()));
        }

        return exitCode;
    }
}
