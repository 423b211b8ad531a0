namespace Hoist.Tests.Integration.Serve;

using System.Net;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A worker that dies after sending its answer's head and before its body (what kill -9 between the two writes of
/// Python's http.server does; here made certain with os._exit): YARP has a head and no body, and answers 502 itself
/// when nothing reached the client yet. A GET is then sent again to another worker; a POST the worker took is not, and
/// its 502 is the truthful answer (it was carried out once, its answer lost).
/// </summary>
public sealed class CutResponseTests(ITestOutputHelper output)
{
    /// <summary>Answers /cut* by dying after its head, once per path (the first worker to take it); anything else with 200.</summary>
    private const string App = """
        import os, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        RECORD = sys.argv[1]
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def answer(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                cut = False
                if self.path.startswith("/cut"):
                    with open(RECORD, "a") as f:
                        f.write(f"{self.command} {self.path} {os.getpid()}\n")
                    try:
                        os.close(os.open(RECORD + "." + self.path.strip("/").replace("/", "_").replace("?", "_"), os.O_CREAT | os.O_EXCL))
                        cut = True
                    except FileExistsError:
                        pass
                body = str(os.getpid()).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                if cut:
                    os._exit(9)
                self.wfile.write(body)
            do_GET = answer
            do_POST = answer
            def log_message(self, *args):
                pass
        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;

    [Fact]
    public async Task A_Get_Whose_Worker_Dies_After_The_Head_Is_Answered_By_Another_And_A_Post_Gets_502_Carried_Out_Once()
    {
        using var dir = new TempDir("hoist-serve-cut");
        dir.Write("app.py", App);
        var record = dir.Combine("requests.txt");
        var (ini, socket) = CommandIni.Write(dir, 2, $"exec python3 app.py {record}", "healthcheck = /up", $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var get = await http.GetAsync("cut/get");
        var getBody = await get.Content.ReadAsStringAsync();
        await serve.WaitForStatusAsync(s => s.Workers.Count(w => w.State == "ready") == 2, "both workers ready again after the cut GET");
        var post = await http.PostAsync("cut/post", new StringContent("order=1"));
        var postBody = await post.Content.ReadAsStringAsync();

        var lines = File.ReadAllLines(record);
        var forwards = File.ReadLines(dir.Combine("serve.log")).Where(l => l.Contains("forwarding ", StringComparison.Ordinal)).ToList();
        output.WriteLine($"GET /cut/get: {(int)get.StatusCode} '{getBody}'; POST /cut/post: {(int)post.StatusCode} '{postBody.Trim()}'");
        output.WriteLine($"carried out: {string.Join(" | ", lines)}");
        output.WriteLine($"front: {string.Join("\n", forwards)}");

        Assert.True(get.StatusCode == HttpStatusCode.OK, $"{(int)get.StatusCode} {getBody}\n{serve.Log()}");
        Assert.Equal(2, lines.Count(l => l.StartsWith("GET /cut/get ", StringComparison.Ordinal)));
        // The second worker answered, with its pid: not the one that died.
        Assert.Equal(lines.Last(l => l.StartsWith("GET ", StringComparison.Ordinal)).Split(' ')[2], getBody);
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Single(lines, l => l.StartsWith("POST /cut/post ", StringComparison.Ordinal));
        Assert.Contains(forwards, l => l.Contains("forwarding GET /cut/get", StringComparison.Ordinal) && l.Contains("ResponseBodyDestination", StringComparison.Ordinal)
            && l.EndsWith("sending it again on a new connection", StringComparison.Ordinal));
        Assert.Contains(forwards, l => l.Contains("forwarding POST /cut/post", StringComparison.Ordinal) && l.Contains("ResponseBodyDestination", StringComparison.Ordinal)
            && l.EndsWith("answered 502", StringComparison.Ordinal));
    }
}
