namespace Hoist.Serve.Front;

/// <summary>The listener nginx or clients reach, in front of the workers.</summary>
internal interface IFront : IAsyncDisposable
{
    /// <summary>
    /// Opens the listener when workers share it (before they start, since they inherit it): returns its descriptor,
    /// or -1 when the front listens only once started.
    /// </summary>
    int Open();

    /// <summary>Serves, once the workers have started.</summary>
    Task StartAsync();

    /// <summary>Takes no new connections; requests in flight may finish until <paramref name="mercy"/> fires.</summary>
    Task StopAsync(CancellationToken mercy);
}
