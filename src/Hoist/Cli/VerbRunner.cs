namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Config;
using Hoist.Core;
using Hoist.Output;
using Hoist.Remote;
using Spectre.Console;

/// <summary>
/// The one place verbs are run from: loads the config, picks the output, and turns every failure into
/// <c>error: ...</c> on stderr with exit code 1 (a stack trace only with --verbose).
/// </summary>
internal static class VerbRunner
{
    public static Func<ParseResult, CancellationToken, Task<int>> With(Func<RunContext, ParseResult, CancellationToken, Task<int>> verb, bool acceptNewHostKeys = false) =>
        async (parse, cancel) =>
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            try
            {
                var config = LoadConfig(parse.GetValue(GlobalOptions.Config));
                var reporter = CreateReporter(verbose);
                var accept = acceptNewHostKeys && parse.GetValue(CheckVerb.AcceptNewHostKeys);
                var context = new RunContext(config, reporter, new HostKeyPolicy(config.Ssh.KnownHostsPath, accept), TimeProvider.System);
                return await verb(context, parse, cancel).ConfigureAwait(false);
            }
            catch (HoistException error)
            {
                return Fail(error.Message, verbose ? error : null, error.ExitCode);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return Fail("interrupted", null, 130);
            }
            catch (Exception error)
            {
                return Fail(error.Message + (verbose ? "" : " (run with --verbose for details)"), verbose ? error : null, 1);
            }
        };

    private static HoistConfig LoadConfig(string? path)
    {
        var file = path ?? Path.Combine(Directory.GetCurrentDirectory(), "hoist.yml");
        var environment = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var result = ConfigLoader.Load(file, environment);
        if (result.Config is null)
        {
            throw new HoistException(string.Join("\nerror: ", result.Errors.Select(e => e.ToString())));
        }

        return result.Config;
    }

    private static IReporter CreateReporter(bool verbose) =>
        Console.IsOutputRedirected || Console.IsErrorRedirected
            ? new PlainReporter(Console.Out, Console.Error, verbose)
            : new SpectreReporter(AnsiConsole.Console, verbose);

    private static int Fail(string message, Exception? detail, int exitCode)
    {
        Console.Out.Flush();
        Console.Error.WriteLine("error: " + message);
        if (detail is not null)
        {
            Console.Error.WriteLine(detail);
        }

        return exitCode;
    }
}
