namespace Hoist.Serve.Workers;

/// <summary>What a worker's process tells the supervisor while it runs.</summary>
internal interface IWorkerEvents
{
    /// <summary>Its process ended (status null when unknown).</summary>
    void Exited(Worker worker, int? status);

    /// <summary>It asks to be replaced (a sharing worker past max-requests).</summary>
    void RecycleAsked(Worker worker, string reason);
}
