namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;

/// <summary>
/// A bounded load: <c>clients</c> tasks sending GETs back to back (a short pause between two, so that two cores
/// stay usable by the rest of the suite) until stopped or for two minutes at most; every request is kept as a
/// <see cref="LoadSample"/>, every non-2xx answer and every exception counts as a failure.
/// </summary>
internal sealed class ClientLoad : IAsyncDisposable
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);
    private readonly CancellationTokenSource stop = new();
    private readonly Task<List<LoadSample>>[] clients;
    private readonly HttpClient http;
    private readonly string path;
    private readonly Func<string, string?> read;
    private readonly TimeSpan pause;
    private int answered;

    public ClientLoad(HttpClient http, string path, int clients = 32, Func<string, string?>? read = null, TimeSpan? pause = null)
    {
        this.http = http;
        this.path = path;
        this.read = read ?? (_ => null);
        this.pause = pause ?? TimeSpan.FromMilliseconds(5);
        this.clients = Enumerable.Range(0, clients).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Requests finished so far (answered, or failed), by all clients.</summary>
    public int Answered => Volatile.Read(ref answered);

    /// <summary>
    /// Waits until <paramref name="more"/> more requests have finished: the load has run over whatever happened just
    /// before, however slowly a loaded machine lets it (instead of a fixed "it has run by now" pause). At most a minute.
    /// </summary>
    public async Task RunsOnAsync(int more)
    {
        var target = Answered + more;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (Answered < target)
        {
            Assert.False(deadline.IsCancellationRequested, $"the load finished only {Answered - target + more} of {more} requests in a minute");
            await Task.Delay(10);
        }
    }

    public async Task<LoadResult> StopAsync()
    {
        await stop.CancelAsync();
        var results = await Task.WhenAll(clients);
        return new LoadResult(results.SelectMany(r => r).OrderBy(s => s.Start).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        stop.Dispose();
    }

    /// <summary>A 2xx answer whose body is not what the app sends is a failure too, kept with its headers.</summary>
    private string? Read(string body, HttpResponseMessage response)
    {
        try
        {
            return read(body);
        }
        catch (Exception error)
        {
            throw new InvalidDataException($"{(int)response.StatusCode} with a body of {body.Length} chars ({error.GetType().Name}); headers: " +
                string.Join(", ", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(' ', h.Value)}")));
        }
    }

    /// <summary>The exception and its inner ones, outermost first: the innermost (a socket error, an EOF) is the cause.</summary>
    private static string Chain(Exception error)
    {
        var links = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            links.Add(e is System.Net.Sockets.SocketException socket ? $"{e.GetType().Name} ({socket.SocketErrorCode}): {e.Message}" : $"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" <- ", links);
    }

    private async Task<List<LoadSample>> RunAsync()
    {
        var samples = new List<LoadSample>();
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && clock.Elapsed < Longest)
        {
            var start = Now;
            try
            {
                using var response = await http.GetAsync(path, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var status = (int)response.StatusCode;
                samples.Add(new LoadSample(start, Now, status, response.IsSuccessStatusCode ? Read(body, response) : body.Trim(), null));
            }
            catch (Exception error)
            {
                samples.Add(new LoadSample(start, Now, 0, null, Chain(error)));
            }

            Interlocked.Increment(ref answered);

            try
            {
                await Task.Delay(pause, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return samples;
    }
}
