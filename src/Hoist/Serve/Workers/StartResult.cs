namespace Hoist.Serve.Workers;

/// <summary>A start that ended: the ready worker, or null with why and the worker's last output lines ("" when none).</summary>
internal sealed record StartResult(Worker? Worker, string Why, string Output)
{
    public static StartResult Ready(Worker worker) => new(worker, "", "");

    /// <summary>Why, then its last output: what a failed start, reload or --daemon shows.</summary>
    public string Failure => Why + Output;
}
