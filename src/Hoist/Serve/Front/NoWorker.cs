namespace Hoist.Serve.Front;

/// <summary>The answer when no worker is ready: 503 at once, with Retry-After, from either front.</summary>
internal static class NoWorker
{
    public const string RetryAfterSeconds = "1";

    public const string Message = "503 no worker is ready; try again in a moment\n";

    /// <summary>The whole HTTP/1.1 response, for a front that writes it to the socket itself.</summary>
    public static byte[] Response() => System.Text.Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\n" +
        $"Retry-After: {RetryAfterSeconds}\r\n" +
        "Content-Type: text/plain\r\n" +
        $"Content-Length: {Message.Length}\r\n" +
        "Connection: close\r\n\r\n" +
        Message);
}
