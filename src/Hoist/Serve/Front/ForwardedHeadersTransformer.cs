namespace Hoist.Serve.Front;

using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

/// <summary>
/// Passes the request on as the app would see it directly: the original Host, and X-Forwarded-For/-Proto/-Host.
/// Values set by the proxy in front (nginx on the unix socket) are kept; a direct TCP client is appended.
/// </summary>
internal sealed class ForwardedHeadersTransformer : HttpTransformer
{
    public static readonly ForwardedHeadersTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext context, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(context, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = context.Request;
        proxyRequest.Headers.Host = request.Host.HasValue ? request.Host.Value : null;
        var headers = proxyRequest.Headers;
        if (context.Connection.RemoteIpAddress is { } client)
        {
            var existing = request.Headers["X-Forwarded-For"].ToString();
            headers.Remove("X-Forwarded-For");
            headers.TryAddWithoutValidation("X-Forwarded-For", existing.Length > 0 ? $"{existing}, {client}" : client.ToString());
        }

        if (!headers.Contains("X-Forwarded-Proto"))
        {
            headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        }

        if (!headers.Contains("X-Forwarded-Host") && request.Host.HasValue)
        {
            headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        }
    }
}
