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
    /// <summary>A verb that works on hosts from hoist.yml.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> With(Func<RunContext, ParseResult, CancellationToken, Task<int>> verb, bool acceptNewHostKeys = false) =>
        Plain((parse, cancel) =>
        {
            var config = LoadConfig(parse.GetValue(GlobalOptions.Config));
            var reporter = CreateReporter(parse.GetValue(GlobalOptions.Verbose));
            var accept = acceptNewHostKeys && parse.GetValue(CheckVerb.AcceptNewHostKeys);
            var context = new RunContext(config, reporter, new HostKeyPolicy(config.Ssh.KnownHostsPath, accept), TimeProvider.System);
            return verb(context, parse, cancel);
        });

    /// <summary>
    /// Any verb, with the error handling and signals: SIGINT or SIGTERM cancels the verb's token (once), and the verb
    /// decides how to wind down (a deploy cleans up its hosts, hoist serve drains its workers).
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Plain(Func<ParseResult, CancellationToken, Task<int>> verb) =>
        async (parse, _) =>
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            using var stop = new CancellationTokenSource();
            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
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

    private static HoistConfig LoadConfig(string? path)
    {
        var file = path ?? Path.Combine(Directory.GetCurrentDirectory(), "hoist.yml");
        var result = ConfigLoader.Load(file, Environment());
        return result.Config ?? throw ConfigErrors(result.Errors);
    }

    private static IReporter CreateReporter(bool verbose) =>
        Console.IsOutputRedirected || Console.IsErrorRedirected
            ? new PlainReporter(Console.Out, Console.Error, verbose)
            : new SpectreReporter(AnsiConsole.Console, verbose);

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
