namespace Hoist.Cli;

using System.CommandLine;

/// <summary>The <c>hoist</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = HoistCommand.Build();
        // Ctrl-C cancels the running verb, which then removes its unfinished release and releases the lock;
        // the default 2 s would kill the process before that cleanup could reach slow hosts.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) };
        return root.Parse(args).InvokeAsync(invocation);
    }
}
