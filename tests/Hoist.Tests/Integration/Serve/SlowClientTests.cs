namespace Hoist.Tests.Integration.Serve;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The gunicorn path, where workers accept on hoist serve's own socket with nothing in front to buffer a request:
/// clients that send their request a byte a second must neither hold a sync worker nor delay anyone else.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int SlowConnections = 100;
    private const int NormalClients = 4;
    private const int RequestsEach = 12;
    private static readonly TimeSpan Drill = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task Slow_Client_Drill_On_The_Socket_Answers_Every_Normal_Request_While_100_Slow_Connections_Hang_And_Cuts_Them_With_408()
    {
        using var dir = new TempDir("hoist-slow");
        var socket = dir.Combine("app.sock");
        var app = ServeApps.CopyFlaskApp(dir.Combine("app"));
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 3",
            $"chdir = {app}",
            "wsgi-file = wsgi.py",
            "callable = app",
            "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}",
            // Short, so that the drill sees many cuts; a normal request's head arrives in microseconds.
            "client-header-timeout = 2",
            ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 3, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket, TimeSpan.FromSeconds(10));
        using var stop = new CancellationTokenSource();
        var slow = new SlowTally();

        // Each slow client connects, trickles an endless header a byte a second, and when cut off connects again.
        var slowClients = Enumerable.Range(0, SlowConnections).Select(_ => Task.Run(() => TrickleAsync(socket, slow, stop.Token))).ToList();
        await slow.WaitForConnectedAsync(SlowConnections, TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        var normal = new ConcurrentBag<(double Ms, int Status)>();
        await Task.WhenAll(Enumerable.Range(0, NormalClients).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < RequestsEach && clock.Elapsed < Drill; i++)
            {
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.GetAsync("api/info");
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                normal.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, status));
                await Task.Delay(TimeSpan.FromSeconds(Drill.TotalSeconds / RequestsEach));
            }
        })));
        var held = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(slowClients);

        var latencies = normal.Select(n => n.Ms).Order().ToList();
        var answered = normal.Count(n => n.Status == 200);
        output.WriteLine($"{SlowConnections} slow connections (a header byte a second, reconnecting when cut) for {held.TotalSeconds:0.0} s: " +
            $"{slow.Connects} connects, {slow.Cut408} cut with 408, {slow.CutSilently} closed without an answer, {slow.Other} other answers");
        output.WriteLine($"normal requests: {answered} of {normal.Count} answered 200 (of {NormalClients * RequestsEach} planned); latency ms " +
            $"p50 {Percentile(latencies, 0.5):0} p90 {Percentile(latencies, 0.9):0} max {latencies.LastOrDefault():0}");
        output.WriteLine("latencies ms: " + string.Join(" ", latencies.Select(l => l.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(NormalClients * RequestsEach, normal.Count);
        Assert.Equal(normal.Count, answered);
        // Every slow client was cut at least once, each cut a 408 (it had sent part of a head), and nothing else.
        Assert.True(slow.Cut408 >= SlowConnections, $"{slow.Cut408} cuts with 408\n{serve.Log()}");
        Assert.Equal(0, slow.Other);
        Assert.Equal(0, slow.CutSilently);
    }

    private static async Task TrickleAsync(string path, SlowTally tally, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path), stop).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            if (!client.Connected)
            {
                return;
            }

            tally.Connected();
            var answer = new byte[256];
            var reading = client.ReceiveAsync(answer, SocketFlags.None, stop).AsTask();
            var head = Encoding.ASCII.GetBytes("GET /api/info HTTP/1.1\r\nHost: app.test\r\nX-Slow: ");
            var sent = 0;
            while (!reading.IsCompleted && !stop.IsCancellationRequested)
            {
                try
                {
                    await client.SendAsync(new[] { sent < head.Length ? head[sent] : (byte)'a' }, SocketFlags.None, stop);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    break;
                }

                sent++;
                // The trickle's own pace (the load being generated), not a wait for something to happen.
                await Task.WhenAny(reading, Task.Delay(1000, stop)).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (stop.IsCancellationRequested)
            {
                // The drill is over: the read was cancelled by the test, not ended by the server.
                return;
            }

            int got;
            try
            {
                got = await reading;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                got = 0;
            }

            tally.Ended(Encoding.ASCII.GetString(answer, 0, got));
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private sealed class SlowTally
    {
        private int connects;
        private int cut408;
        private int silently;
        private int other;

        public int Connects => connects;

        public int Cut408 => cut408;

        public int CutSilently => silently;

        public int Other => other;

        public void Connected() => Interlocked.Increment(ref connects);

        public void Ended(string answer)
        {
            if (answer.Length == 0)
            {
                Interlocked.Increment(ref silently);
            }
            else if (answer.StartsWith("HTTP/1.1 408 ", StringComparison.Ordinal) || answer.StartsWith("HTTP/1.0 408 ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref cut408);
            }
            else
            {
                Interlocked.Increment(ref other);
            }
        }

        public async Task WaitForConnectedAsync(int count, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref connects) < count)
            {
                Assert.True(clock.Elapsed < timeout, $"only {connects} of {count} slow connections connected");
                await Task.Delay(20);
            }
        }
    }
}
