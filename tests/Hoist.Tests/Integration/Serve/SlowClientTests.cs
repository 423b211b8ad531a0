namespace Hoist.Tests.Integration.Serve;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
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

    [Fact]
    public async Task Body_Trickled_A_Byte_A_Second_To_Each_Of_2_Workers_Is_Cut_With_408_And_Every_Normal_Request_Is_Answered()
    {
        using var dir = new TempDir("hoist-slowbody");
        await using var serve = await StartAsync(dir, processes: 2);
        using var http = UnixHttp.Create(serve.Socket, TimeSpan.FromSeconds(8));
        using var stop = new CancellationTokenSource();
        var trickled = new SlowTally();
        var head = Encoding.ASCII.GetBytes("POST /post HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100000\r\n\r\n");
        // One trickler per worker: a complete head, then the body a byte a second; when cut it connects again.
        var tricklers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => TrickleAsync(serve.Socket, trickled, head, head.Length, stop.Token))).ToList();
        await trickled.WaitForConnectedAsync(2, TimeSpan.FromSeconds(20));

        var normal = await NormalRequestsAsync(http, "api/info", clients: 2, each: 6);
        await stop.CancelAsync();
        await Task.WhenAll(tricklers);

        var answered = normal.Count(n => n.Status == 200);
        output.WriteLine($"2 workers, 2 bodies trickled a byte a second (client-body-timeout = 2): {trickled.Connects} connects, " +
            $"{trickled.Cut408} cut with 408, {trickled.CutSilently} closed without an answer, {trickled.Other} other answers");
        output.WriteLine($"normal requests: {answered} of {normal.Count} answered 200; ms {string.Join(" ", normal.Select(n => n.Ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");

        Assert.Equal(normal.Count, answered);
        Assert.True(trickled.Cut408 >= 2, $"{trickled.Cut408} cuts with 408\n{serve.Log()}");
        Assert.Equal(0, trickled.Other);
        // To gunicorn a cut is a client that went away, not a socket error (the app itself may log the failed body read).
        Assert.False(serve.Log().Contains("Socket error", StringComparison.Ordinal), serve.Log());
    }

    [Fact]
    public async Task Head_Completed_While_Its_Worker_Serves_A_Long_Request_Is_Answered_200_Not_408()
    {
        using var dir = new TempDir("hoist-slowbody");
        await using var serve = await StartAsync(dir, processes: 1);
        using var http = UnixHttp.Create(serve.Socket, TimeSpan.FromSeconds(20));

        // A sends half its head and is taken first (the queue is FIFO); the long request is taken next and keeps the one
        // worker busy 5 s, past A's 2 s head deadline, while the rest of A's head arrives at once.
        using var a = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await a.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        await a.SendAsync(Encoding.ASCII.GetBytes("GET /api/info HTTP/1.1\r\n"), SocketFlags.None);
        var clock = Stopwatch.StartNew();
        var slow = http.GetAsync("slow?ms=5000");
        await serve.Process.WaitForStatusAsync(s => s.Workers.Sum(w => w.InFlight) >= 1, "the slow request in flight");
        await a.SendAsync(Encoding.ASCII.GetBytes("Host: app.test\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var headDone = clock.Elapsed;
        var answer = await ReadAnswerAsync(a, TimeSpan.FromSeconds(20));
        var answeredAt = clock.Elapsed;
        using var slowResponse = await slow;

        var status = answer.Split('\n', 2)[0].Trim();
        output.WriteLine($"1 worker, client-header-timeout = 2: A's head complete at {headDone.TotalMilliseconds:0} ms, the worker busy with /slow 5 s " +
            $"(answered {(int)slowResponse.StatusCode}); A answered at {answeredAt.TotalSeconds:0.00} s: {status}");
        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_Taken_Before_Its_Head_Came_Leaves_The_Next_One_To_The_Idle_Worker_Under_A_CPU_Hog()
    {
        // Seen in CI under load: nginx's two requests at once answered one after the other by one worker while the
        // other idled; that worker had taken the first connection before nginx wrote its head, then the second.
        using var dir = new TempDir("hoist-slowhead");
        await using var serve = await StartAsync(dir, processes: 2);
        using var hog = CpuHog.Start();
        var pids = (await serve.Process.StatusAsync()).Workers.Select(w => w.Pid.ToString(CultureInfo.InvariantCulture)).ToList();
        var head = Encoding.ASCII.GetBytes("GET /slow?ms=1500 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

        // Both workers frozen while two connections queue, the first without its head yet; the first worker then
        // takes the first connection, and the second worker wakes while that head is still missing.
        await Run.ProcessAsync("kill", ["-STOP", .. pids]);
        using var first = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var second = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await first.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        await second.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        await second.SendAsync(head, SocketFlags.None);
        var queuedBefore = await QueuedAsync(serve.Socket);
        await Run.ProcessAsync("kill", ["-CONT", pids[0]]);
        var queued = await WaitForQueuedBelowAsync(serve.Socket, queuedBefore);
        await Run.ProcessAsync("kill", ["-CONT", pids[1]]);
        await first.SendAsync(head, SocketFlags.None);
        var answers = await Task.WhenAll(ReadAnswerAsync(first, TimeSpan.FromSeconds(20)), ReadAnswerAsync(second, TimeSpan.FromSeconds(20)));
        var servedBy = answers.Select(a => Regex.Match(a, "\"pid\":\\s*(\\d+)").Groups[1].Value).ToList();

        output.WriteLine($"2 workers ({string.Join(", ", pids)}) frozen, 2 connections queued ({queuedBefore} in the listener's queue), the first " +
            $"without its head; {pids[0]} resumed: {queued} left queued; then {pids[1]} resumed and the first's head sent; " +
            $"first answered by {servedBy[0]}, second by {servedBy[1]}; {string.Join(", ", answers.Select(a => a.Split('\n', 2)[0].Trim()))}; {hog}");
        Assert.Equal(2, queuedBefore);
        Assert.All(answers, a => Assert.StartsWith("HTTP/1.1 200 ", a, StringComparison.Ordinal));
        Assert.Equal(pids[0], servedBy[0]);
        Assert.Equal(pids[1], servedBy[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_A_Connection_That_Brought_No_Prompt_Head_A_Worker_Does_Not_Hold_Back_For_The_Next_Silent_One_Under_A_CPU_Hog(bool thenItsHead)
    {
        // A client connecting over and over, sending nothing for 0.2 s (within the hold) and closing, or sending its
        // head then: each connection made the worker leave the queue for the hold, so every normal request waited for the
        // one before it (~150 ms each with the 0.25 s hold). Here the hold (and the head timeout) are made 60 s, so that
        // whether the worker holds back for the next silent connection shows as a request answered or not, with no
        // timing in the test.
        using var dir = new TempDir("hoist-slowhead");
        await using var serve = await StartAsync(dir, processes: 1, "env = HOIST_HEAD_GRACE=60", headerTimeout: 60);
        using var hog = CpuHog.Start();
        var request = Encoding.ASCII.GetBytes("GET /api/info HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

        using (var first = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await first.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
            await WaitForQueuedBelowAsync(serve.Socket, 1);
            // The client's own pace: its head (or its close) comes 0.2 s after the worker took it.
            await Task.Delay(200);
            if (thenItsHead)
            {
                await first.SendAsync(request, SocketFlags.None);
                var firstAnswer = await ReadAnswerAsync(first, TimeSpan.FromSeconds(20));
                Assert.StartsWith("HTTP/1.1 200 ", firstAnswer, StringComparison.Ordinal);
            }
        }

        // The next connection sends nothing at all; a normal request queued behind it must still be served.
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await silent.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        using var normal = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await normal.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        await normal.SendAsync(request, SocketFlags.None);
        var answer = await ReadAnswerAsync(normal, TimeSpan.FromSeconds(20));

        output.WriteLine($"1 worker, hold 60 s: a connection {(thenItsHead ? "sending its head" : "closing with no head")} 0.2 s after its accept, then a " +
            $"silent one, then a normal request: {(answer.Length == 0 ? "no answer in 20 s" : answer.Split('\n', 2)[0].Trim())}; {hog}");
        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Sent_Whole_Then_The_Write_Side_Shut_Is_Answered_200()
    {
        // printf 'GET ...' | nc -N: the request, then end of input; the worker read the end as a client gone before its
        // head was done and closed the connection without an answer.
        using var dir = new TempDir("hoist-halfclose");
        await using var serve = await StartAsync(dir, processes: 1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
        await client.SendAsync(Encoding.ASCII.GetBytes("GET /api/info HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        var answer = await ReadAnswerAsync(client, TimeSpan.FromSeconds(20));

        output.WriteLine($"request then shutdown(SHUT_WR): {(answer.Length == 0 ? "closed without an answer" : answer.Split('\n', 2)[0].Trim())}");
        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_That_Never_Read_A_4_MB_Answer_Are_Cut_And_Every_Normal_Request_Is_Answered_While_A_Slow_Reader_Gets_All()
    {
        using var dir = new TempDir("hoist-slowbody");
        await using var serve = await StartAsync(dir, processes: 2);
        using var http = UnixHttp.Create(serve.Socket, TimeSpan.FromSeconds(8));

        // One non-reader per worker: each asks for 4 MB and reads nothing, so the worker's send blocks on a full buffer.
        var nonReaders = new List<Socket>();
        for (var i = 0; i < 2; i++)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
            await s.ConnectAsync(new UnixDomainSocketEndPoint(serve.Socket));
            await s.SendAsync(Encoding.ASCII.GetBytes("GET /big?kb=4096 HTTP/1.1\r\nHost: app.test\r\n\r\n"), SocketFlags.None);
            nonReaders.Add(s);
        }

        var normal = await NormalRequestsAsync(http, "api/info", clients: 2, each: 5);
        // A reader slower than the limit in total (1 MB over more than client-body-timeout) but always progressing.
        var slowReader = await SlowReadAsync(serve.Socket, "/big?kb=1024");
        foreach (var s in nonReaders)
        {
            s.Dispose();
        }

        var answered = normal.Count(n => n.Status == 200);
        output.WriteLine($"2 workers, 2 clients asking 4 MB and reading nothing (client-body-timeout = 2): normal requests {answered} of {normal.Count} " +
            $"answered 200; ms {string.Join(" ", normal.Select(n => n.Ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
        output.WriteLine($"slow reader (16 KB every 100 ms): {slowReader.Bytes} bytes in {slowReader.Seconds:0.0} s");
        Assert.Equal(normal.Count, answered);
        Assert.True(slowReader.Bytes > 1024 * 1024, $"slow reader got {slowReader.Bytes} bytes\n{serve.Log()}");
        Assert.False(serve.Log().Contains("Traceback", StringComparison.Ordinal), serve.Log());
    }

    private sealed class SlowServe(ServeProcess process, string socket) : IAsyncDisposable
    {
        public string Socket => socket;

        public ServeProcess Process => process;

        public string Log() => process.Log();

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }

    private static async Task<SlowServe> StartAsync(TempDir dir, int processes, string extra = "", int headerTimeout = 2)
    {
        var socket = dir.Combine("app.sock");
        var app = ServeApps.CopyFlaskApp(dir.Combine("app"));
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            $"processes = {processes}",
            $"chdir = {app}",
            "wsgi-file = wsgi.py",
            "callable = app",
            "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}",
            // Short, so that each test sees its cuts in seconds.
            $"client-header-timeout = {headerTimeout}",
            "client-body-timeout = 2",
            extra,
            ""]));
        var process = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: processes, dir.Combine("serve.log"));
        return new SlowServe(process, socket);
    }

    private static async Task<List<(double Ms, int Status)>> NormalRequestsAsync(HttpClient http, string path, int clients, int each)
    {
        var normal = new ConcurrentBag<(double Ms, int Status)>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.GetAsync(path);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                normal.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, status));
                // The load's pace, not a wait for something to happen.
                await Task.Delay(500);
            }
        })));
        return [.. normal];
    }

    /// <summary>Connections waiting in a listening Unix socket's accept queue (ss's Recv-Q).</summary>
    private static async Task<int> QueuedAsync(string socket)
    {
        var line = (await Run.ProcessAsync("ss", ["-xlnH", "src", socket])).Stdout.Trim().Split('\n')[0];
        return int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }

    private static async Task<int> WaitForQueuedBelowAsync(string socket, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var queued = await QueuedAsync(socket);
            if (queued < count)
            {
                return queued;
            }

            await Task.Delay(10, cancel.Token);
        }
    }

    private static async Task<string> ReadAnswerAsync(Socket socket, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int got;
            while ((got = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token)) > 0)
            {
                answer.Write(buffer, 0, got);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    private static async Task<(long Bytes, double Seconds)> SlowReadAsync(string path, string target)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
        await s.ConnectAsync(new UnixDomainSocketEndPoint(path));
        await s.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var clock = Stopwatch.StartNew();
        var buffer = new byte[16 * 1024];
        long total = 0;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int got;
            while ((got = await s.ReceiveAsync(buffer, SocketFlags.None, cancel.Token)) > 0)
            {
                total += got;
                // The reader's own pace: slow but steady.
                await Task.Delay(100);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }

        return (total, clock.Elapsed.TotalSeconds);
    }

    private static Task TrickleAsync(string path, SlowTally tally, CancellationToken stop) =>
        TrickleAsync(path, tally, Encoding.ASCII.GetBytes("GET /api/info HTTP/1.1\r\nHost: app.test\r\nX-Slow: "), 0, stop);

    private static async Task TrickleAsync(string path, SlowTally tally, byte[] head, int atOnce, CancellationToken stop)
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
            // The first bytes at once (a whole head, for a body trickler), then one byte at a time.
            var sent = 0;
            if (atOnce > 0)
            {
                await client.SendAsync(head.AsMemory(0, atOnce), SocketFlags.None, stop);
                sent = atOnce;
            }

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
