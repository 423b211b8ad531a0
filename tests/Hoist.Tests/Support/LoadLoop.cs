namespace Hoist.Tests.Support;

/// <summary>A bounded load: N clients sending GETs back to back until stopped, recording every failure.</summary>
public sealed class LoadLoop : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task<(long Done, List<string> Failures)>[] clients;

    public LoadLoop(HttpClient http, string path, int clients)
    {
        this.clients = Enumerable.Range(0, clients).Select(_ => Task.Run(() => RunAsync(http, path))).ToArray();
    }

    /// <summary>Stops the clients and returns how many requests succeeded, and each failure.</summary>
    public async Task<(long Done, IReadOnlyList<string> Failures)> StopAsync()
    {
        await stop.CancelAsync();
        var results = await Task.WhenAll(clients);
        return (results.Sum(r => r.Done), results.SelectMany(r => r.Failures).ToList());
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }

    private async Task<(long, List<string>)> RunAsync(HttpClient http, string path)
    {
        long done = 0;
        var failures = new List<string>();
        // Bounded in time too: a client never runs past two minutes whatever happens.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(path, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    done++;
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException error)
            {
                failures.Add(error.Message);
            }
        }

        return (done, failures);
    }
}
