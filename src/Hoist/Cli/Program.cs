namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Core;

/// <summary>The <c>hoist</c> executable.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = HoistCommand.Build();
        // Signals are handled by VerbRunner, so each verb winds down its own way (a deploy cleans up its hosts,
        // hoist serve drains its workers for as long as its mercy allows) instead of being cut off after a timeout.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        var parse = root.Parse(args);
        return parse.Errors.Count == 0 ? await parse.InvokeAsync(invocation).ConfigureAwait(false) : UsageError(parse);
    }

    /// <summary>
    /// Bad arguments exit <see cref="ExitCodes.Usage"/> (System.CommandLine's own handler says 1, which scripts could
    /// not tell from a failed deploy), as <c>error:</c> lines that say where to look instead of the whole help text.
    /// </summary>
    private static int UsageError(ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine("error: " + error.Message);
        }

        foreach (var token in parse.UnmatchedTokens)
        {
            if (Suggestion.For(token, Suggestion.NamesOf(parse.CommandResult.Command)) is [_, ..] close)
            {
                Console.Error.WriteLine($"error: '{Output.TerminalText.Visible(token, oneLine: true)}': did you mean {string.Join(" or ", close.Select(c => $"`{c}`"))}?");
            }
        }

        var path = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name).Append(parse.CommandResult.Command.Name));
        Console.Error.WriteLine($"error: see `{path} --help` for what it takes");
        return ExitCodes.Usage;
    }
}
