namespace Hoist.Tests.Integration.Serve;

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A POST must reach a worker once at most: neither hoist's own retry nor SocketsHttpHandler's re-send of a request
/// that met a closing pooled connection may carry it out a second time (attack report on issue 9, point 1).
/// </summary>
public sealed class NonIdempotentRequestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Post_Whose_Worker_Exits_Unanswered_Is_Carried_Out_Once_And_Kills_One_Worker()
    {
        using var dir = new TempDir("hoist-post-exit");
        ServeApps.CopyPostApp(dir.Path);
        var record = dir.Combine("posts.txt");
        var (ini, socket) = CommandIni.Write(dir, 2, $"exec python3 app.py exit {record}", "healthcheck = /up", $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var answers = new List<int>();
        var dead = new HashSet<int>();
        for (var n = 1; n <= 5; n++)
        {
            // Both workers up again (none that a POST killed) and pooled connections to them, as after any traffic.
            await serve.WaitForStatusAsync(s => s.Workers.Count(w => w.State == "ready" && !dead.Contains(w.Pid)) == 2, $"2 workers ready before POST {n}");
            for (var i = 0; i < 4; i++)
            {
                (await http.GetAsync("up")).EnsureSuccessStatusCode();
            }

            answers.Add(await BarePostAsync(socket, $"/charge?id={n}"));
            foreach (var line in Lines(record))
            {
                dead.Add(int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
            }
        }

        var lines = Lines(record);
        var perPost = Enumerable.Range(1, 5).Select(n => lines.Count(l => l.StartsWith($"/charge?id={n} ", StringComparison.Ordinal))).ToArray();
        output.WriteLine($"2 keep-alive workers, 5 bodiless POSTs whose handler exits unanswered: times carried out per POST {string.Join(", ", perPost)}; " +
            $"workers killed {dead.Count}; answers {string.Join(", ", answers)}");
        output.WriteLine(string.Join('\n', lines));

        Assert.True(perPost.All(c => c == 1), $"each POST must be carried out exactly once: {string.Join(", ", perPost)}\n{string.Join('\n', lines)}\n{serve.Log()}");
    }

    [Fact]
    public async Task A_Bodiless_Post_The_Worker_Closes_Unanswered_Is_Carried_Out_Once()
    {
        using var dir = new TempDir("hoist-post-close");
        ServeApps.CopyPostApp(dir.Path);
        var record = dir.Combine("posts.txt");
        var (ini, socket) = CommandIni.Write(dir, 1, $"exec python3 app.py close {record}", "healthcheck = /up", $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 1, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var answers = new List<int>();
        for (var n = 1; n <= 10; n++)
        {
            // A GET first, so the front holds a pooled connection to the worker when the POST comes.
            (await http.GetAsync("up")).EnsureSuccessStatusCode();
            answers.Add(await BarePostAsync(socket, $"/order?id={n}"));
        }

        var lines = Lines(record);
        var perPost = Enumerable.Range(1, 10).Select(n => lines.Count(l => l.StartsWith($"/order?id={n} ", StringComparison.Ordinal))).ToArray();
        output.WriteLine($"1 keep-alive worker, 10 bodiless POSTs it closes unanswered: times carried out per POST {string.Join(", ", perPost)}; " +
            $"carried out twice {perPost.Count(c => c > 1)} of 10; answers {string.Join(", ", answers)}");

        Assert.True(perPost.All(c => c == 1), $"each POST must be carried out exactly once: {string.Join(", ", perPost)}\n{serve.Log()}");
    }

    [Fact]
    public async Task Posts_With_A_Body_To_A_Worker_That_Says_Keep_Alive_Over_Http10_And_Closes_All_Succeed()
    {
        using var dir = new TempDir("hoist-post-lying10");
        ServeApps.CopyPostApp(dir.Path);
        var record = dir.Combine("posts.txt");
        var (ini, socket) = CommandIni.Write(dir, 2, $"exec python3 app.py lying10 {record}", "healthcheck = /up", $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        const int Clients = 8;
        const int Each = 150;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var failures = new List<string>();
            for (var i = 0; i < Each; i++)
            {
                try
                {
                    using var body = new StringContent(new string('x', 200));
                    using var response = await http.PostAsync($"pay?c={c}&i={i}", body);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    }
                }
                catch (HttpRequestException error)
                {
                    failures.Add(error.Message);
                }
            }

            return failures;
        })));
        var failed = results.SelectMany(f => f).ToList();
        var lines = Lines(record);
        var twice = lines.GroupBy(l => l.Split(' ')[0]).Count(g => g.Count() > 1);
        output.WriteLine($"2 HTTP/1.0 workers saying keep-alive then closing, {Clients} clients × {Each} POSTs with a 200-byte body in {clock.Elapsed.TotalSeconds:0.0} s: " +
            $"{failed.Count} failed of {Clients * Each} ({string.Join(", ", failed.GroupBy(f => f).Select(g => $"{g.Count()} × {g.Key}"))}); recorded {lines.Length}, carried out twice {twice}");

        Assert.Equal(0, twice);
        Assert.True(failed.Count == 0, $"{failed.Count} of {Clients * Each} POSTs failed\n{serve.Log()}");
    }

    /// <summary>
    /// A POST with no body and no Content-Length, as `curl -X POST` sends it: the front forwards it with no content,
    /// which SocketsHttpHandler would re-send by itself on a failed pooled connection. Returns the status code.
    /// </summary>
    private static async Task<int> BarePostAsync(string socket, string target)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
        await using var stream = new NetworkStream(client, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await reader.ReadLineAsync(deadline.Token) ?? "";
        await reader.ReadToEndAsync(deadline.Token);
        return int.Parse(status.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static string[] Lines(string record) =>
        File.Exists(record) ? File.ReadAllLines(record).Where(l => l.Length > 0).ToArray() : [];
}
