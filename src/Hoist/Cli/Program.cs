namespace Hoist.Cli;

using System.CommandLine;

/// <summary>The <c>hoist</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = HoistCommand.Build();
        // Signals are handled by VerbRunner, so each verb winds down its own way (a deploy cleans up its hosts,
        // hoist serve drains its workers for as long as its mercy allows) instead of being cut off after a timeout.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return root.Parse(args).InvokeAsync(invocation);
    }
}
