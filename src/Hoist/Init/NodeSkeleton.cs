namespace Hoist.Init;

/// <summary>A Node app with no dependencies (node's own http module), listening where hoist serve's $PORT says.</summary>
internal static class NodeSkeleton
{
    public static IReadOnlyList<SkeletonFile> Files(string app) =>
    [
        new("package.json", $$"""
            {
              "name": "{{app}}",
              "version": "0.1.0",
              "private": true,
              "main": "server.js",
              "scripts": {
                "start": "node server.js"
              }
            }

            """),
        new("server.js", $$"""
            // {{app}}: a small Node app written by `hoist init`. hoist serve starts each worker with PORT set.
            const http = require("http");

            const port = Number(process.env.PORT || 3000);

            const server = http.createServer((req, res) => {
              const path = new URL(req.url, "http://localhost").pathname;
              if (path === "/up") {
                // The health check: hoist serve sends a worker traffic only once this answers 200.
                res.writeHead(200, { "Content-Type": "text/plain" });
                res.end("ok\n");
              } else if (path === "/") {
                res.writeHead(200, { "Content-Type": "text/plain" });
                res.end("Hello from {{app}}\n");
              } else {
                res.writeHead(404, { "Content-Type": "text/plain" });
                res.end("not found\n");
              }
            });

            server.listen(port, "127.0.0.1", () => console.log(`{{app}} listening on 127.0.0.1:${port}`));
            // hoist serve stops a worker with SIGTERM: finish the requests in flight, then exit.
            process.on("SIGTERM", () => server.close(() => process.exit(0)));

            """),
    ];
}
