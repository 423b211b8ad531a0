namespace Hoist.Output;

using System.Collections.Concurrent;
using Hoist.Config;
using Spectre.Console;

/// <summary>
/// A live progress line per host for people at a terminal; host output scrolls above it. Every piece of text is
/// cleaned by <see cref="TerminalText"/> before the markup (Hoist's own styling) is put around it.
/// </summary>
internal sealed class SpectreReporter(IAnsiConsole console, bool verbose) : IReporter
{
    private readonly ConcurrentDictionary<string, ProgressTask> tasks = new();
    private readonly Lock gate = new();

    public async Task<T> TrackAsync<T>(string title, IReadOnlyList<HostConfig> hosts, Func<Task<T>> work)
    {
        var progress = console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn());
        return await progress.StartAsync(async context =>
        {
            foreach (var host in hosts)
            {
                tasks[host.Key] = context.AddTask(Describe(host, title), maxValue: 1).IsIndeterminate();
            }

            try
            {
                return await work().ConfigureAwait(false);
            }
            finally
            {
                tasks.Clear();
            }
        }).ConfigureAwait(false);
    }

    public void Step(HostConfig host, string step)
    {
        if (tasks.TryGetValue(host.Key, out var task))
        {
            task.Description = Describe(host, step);
        }

        if (verbose)
        {
            Write($"[grey]{Shown(host.Display)}[/] [blue]{Shown(step)}[/]");
        }
    }

    public void Output(HostConfig host, string line, bool isError)
    {
        var colour = isError ? "yellow" : "grey";
        Write($"[{colour}]{Shown(host.Display)}[/] {Shown(line)}");
    }

    public void HostDone(HostConfig host, bool ok, string summary)
    {
        if (tasks.TryRemove(host.Key, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }

        var mark = ok ? "[green]ok[/]" : "[red]FAILED[/]";
        Write($"{mark} [bold]{Shown(host.Display)}[/] {Shown(summary)}");
    }

    public void Info(string line) => Write(Shown(line));

    public void Warn(string line) => Write($"[yellow]warning:[/] {Shown(line)}");

    public void Verbose(HostConfig host, string text)
    {
        if (verbose)
        {
            Write($"[grey]{Shown(host.Display)} script:\n{Shown(text)}[/]");
        }
    }

    private static string Describe(HostConfig host, string step) => $"[bold]{Shown(host.Display)}[/] {Shown(step)}";

    private static string Shown(string text) => Markup.Escape(TerminalText.Clean(text));

    private void Write(string markup)
    {
        lock (gate)
        {
            console.MarkupLine(markup);
        }
    }
}
