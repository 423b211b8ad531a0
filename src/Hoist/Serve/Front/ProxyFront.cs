namespace Hoist.Serve.Front;

using Hoist.Serve.Config;
using Hoist.Serve.Logging;
using Hoist.Serve.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

/// <summary>
/// The front for workers with their own port or socket (a command app, a WSGI app under waitress): Kestrel on the one
/// listener, forwarding each request to a ready worker with YARP.
/// </summary>
internal sealed class ProxyFront(ServeConfig config, Supervisor supervisor, WorkerConnector connector, ServeLog log) : IFront
{
    /// <summary>
    /// Forwards of one request at most: the first on a pooled connection (a new one for a request that is not
    /// idempotent), the others each on a new one.
    /// </summary>
    private const int Attempts = 3;

    private readonly WorkerPicker picker = new();

    // A WSGI worker serves one request at a time. Requests wait here, in arrival order, for a free worker (as they
    // would in gunicorn's shared accept queue) rather than queueing behind a busy worker, which makes slow tails.
    private readonly SemaphoreSlim? oneAtATime = config.App is WsgiApp ? new SemaphoreSlim(config.Workers) : null;
    private readonly ForwarderRequestConfig requestConfig = new() { ActivityTimeout = TimeSpan.FromHours(1) };
    private IHttpForwarder? forwarder;
    private WebApplication? app;

    public int Open() => -1;

    public async Task StartAsync()
    {
        app = Build();
        await app.StartAsync(CancellationToken.None).ConfigureAwait(false);
        if (config.Listen is UnixListen unix && config.SocketMode is { } mode)
        {
            File.SetUnixFileMode(unix.Path, mode);
        }
    }

    public Task StopAsync(CancellationToken mercy) => app?.StopAsync(mercy) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => app?.DisposeAsync() ?? ValueTask.CompletedTask;

    private WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            // Kestrel reads asynchronously, so a slow client holds no worker here; the head's limit is still the
            // configured one (Kestrel's own default is 30 s). A body is held to Kestrel's MinRequestBodyDataRate
            // (240 bytes/s after a 5 s grace), which already cuts a trickle.
            kestrel.Limits.RequestHeadersTimeout = config.ClientHeaderTimeout;
            switch (config.Listen)
            {
                case UnixListen unix:
                    kestrel.ListenUnixSocket(unix.Path);
                    break;
                case TcpListen tcp:
                    kestrel.Listen(tcp.Address, tcp.Port);
                    break;
            }
        });
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        app.Run(HandleAsync);
        return app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (oneAtATime is null)
        {
            await RouteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await oneAtATime.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var failed = new List<Worker>();
        for (var picks = 0; picks < 16; picks++)
        {
            // A retry avoids the workers that just failed if it can: one that died is still in rotation until its
            // exit is noticed, and with its requests failing fast it would have the fewest in flight. A keep-alive
            // race is no sign of a dead worker, so with no other one the retry goes to the same, on a new connection.
            var routable = supervisor.Routable;
            var others = failed.Count == 0 ? routable : routable.Where(w => !failed.Contains(w)).ToArray();
            var worker = picker.Pick(others.Count > 0 ? others : routable);
            if (worker is null)
            {
                await NoWorkerAsync(context).ConfigureAwait(false);
                return;
            }

            worker.BeginRequest();
            try
            {
                // Pairs with RetireAsync's barrier: a worker leaving rotation now gets no new request.
                if (worker.State != WorkerState.Ready)
                {
                    continue;
                }

                // A request that must not be carried out twice goes on a connection of its own from the first: on a
                // pooled one the worker closes unanswered, SocketsHttpHandler re-sends it by itself, unseen here.
                var fresh = failed.Count > 0 || !RetryRule.IsIdempotent(context.Request.Method);
                var outcome = await ForwardAsync(context, worker, fresh, lastTry: failed.Count + 1 == Attempts).ConfigureAwait(false);
                if (outcome == Outcome.SendAgain)
                {
                    // Only now is the 502 YARP set cleared; the last failure keeps it, never an empty 200.
                    failed.Add(worker);
                    context.Response.Clear();
                    context.Features.Set<IForwarderErrorFeature>(null);
                    continue;
                }

                return;
            }
            finally
            {
                worker.EndRequest();
                supervisor.RequestDone(worker);
            }
        }

        await NoWorkerAsync(context).ConfigureAwait(false);
    }

    private async Task<Outcome> ForwardAsync(HttpContext context, Worker worker, bool fresh, bool lastTry)
    {
        using var harakiri = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (config.Harakiri is { } limit)
        {
            harakiri.CancelAfter(limit);
        }

        var request = context.Request;
        if (!RetryRule.IsIdempotent(request.Method) && !HasBody(request))
        {
            // SocketsHttpHandler re-sends a request without content by itself when its connection closes before
            // any answer (3 more times seen here, on new connections too): a bodiless POST the worker took and then
            // died on or dropped would be carried out again, unseen here. With Content-Length: 0 (what RFC 9110 §8.6
            // has a client send for a POST without content) YARP forwards it with content, which is never re-sent.
            request.ContentLength = 0;
        }

        var client = fresh ? connector.Fresh : connector.Client;
        var error = await forwarder!.SendAsync(context, WorkerConnector.Prefix(worker), client, requestConfig, ForwardedHeadersTransformer.Instance, harakiri.Token).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return Outcome.Done;
        }

        if (harakiri.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            }

            supervisor.Recycle(worker, $"a request to {request.Path} ran past harakiri ({config.Harakiri!.Value.TotalSeconds:0} s)");
            return Outcome.Done;
        }

        var cause = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var again = !lastTry && RetryRule.MaySendAgain(error, request.Method, HasBody(request), context.Response.HasStarted, fresh, cause);
        if (!context.RequestAborted.IsCancellationRequested)
        {
            var answer = again ? "sending it again on a new connection" : context.Response.HasStarted ? "answer cut short" : $"answered {context.Response.StatusCode}";
            log.Info($"forwarding {request.Method} {request.Path} to {worker} ({worker.State}{(fresh ? ", new connection" : "")}) failed: {error}: {RetryRule.Causes(cause)}; {answer}");
        }

        return again ? Outcome.SendAgain : Outcome.Done;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static Task NoWorkerAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = NoWorker.RetryAfterSeconds;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(NoWorker.Message);
    }

    private enum Outcome
    {
        Done,
        SendAgain,
    }
}
