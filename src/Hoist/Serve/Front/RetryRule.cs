namespace Hoist.Serve.Front;

using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

/// <summary>
/// Whether a request that failed on its way to a worker may be sent again, on a connection of its own. The usual
/// cause is a keep-alive race: the request went onto a pooled connection the worker was closing (an app's keep-alive
/// timeout ran out, or it closes after each answer), so it failed before any answer came, and a new connection
/// serves it. Sent again only when that cannot do harm: no answer began, it has no body to replay, and either its
/// method is idempotent (RFC 9110 §9.2.2) or the worker was never reached. The latter is believed only of a request
/// sent on a connection of its own (<c>fresh</c>), as the front sends every request that is not idempotent, with
/// content (Content-Length: 0 if it has none): SocketsHttpHandler re-sends a request without content by itself when
/// its connection closes unanswered, so a "connection refused" in the chain may come from such a second attempt
/// while the first reached the worker. A request with content it does not re-send, and a failed connect is not
/// retried: on a new connection that one error is all there was.
/// A worker that dies between its answer's head and its body (a kill -9 between Python http.server's two writes) leaves
/// YARP a head and no body: with nothing sent to the client yet YARP answers 502 itself (ResponseBodyDestination). An
/// idempotent request is sent again then too; any other one reached the worker, which took it, and its 502 stands.
/// </summary>
internal static class RetryRule
{
    public static bool MaySendAgain(ForwarderError error, string method, bool hasBody, bool responseStarted, bool fresh, Exception? cause) =>
        !responseStarted
        && !hasBody
        && error switch
        {
            ForwarderError.Request or ForwarderError.RequestCreation => IsIdempotent(method) || (fresh && NeverReached(error, cause)),
            ForwarderError.ResponseBodyDestination => IsIdempotent(method),
            _ => false,
        };

    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    /// <summary>True when nothing of the request can have reached the worker: no connection was made to it.</summary>
    public static bool NeverReached(ForwarderError error, Exception? cause)
    {
        if (error == ForwarderError.RequestCreation)
        {
            return true;
        }

        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } ||
                e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.AddressNotAvailable })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every message of the exception chain, outermost first: the cause a log line shows.</summary>
    public static string Causes(Exception? cause)
    {
        var messages = new List<string>();
        for (var e = cause; e is not null; e = e.InnerException)
        {
            messages.Add($"{e.GetType().Name}: {e.Message}");
        }

        return messages.Count == 0 ? "no exception" : string.Join(" <- ", messages);
    }
}
