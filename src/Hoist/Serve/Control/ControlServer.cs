namespace Hoist.Serve.Control;

using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hoist.Serve.Logging;

/// <summary>
/// A unix socket that takes one command per connection (<c>status</c>, <c>reload</c>, <c>reload hold=SECONDS</c>, <c>commit</c>, <c>revert</c>, <c>stop</c>) and answers one
/// JSON document. Mode 0600: only the server's user (and root) may ask it anything.
/// </summary>
internal sealed class ControlServer(string path, Func<string, CancellationToken, Task<object>> handle, ServeLog log) : IAsyncDisposable
{
    /// <summary>The control socket's JSON options: <see cref="ControlJson"/>'s, generated, no reflection.</summary>
    public static readonly JsonSerializerOptions Json = ControlJson.Default.Options;

    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource stop = new();
    private readonly HashSet<Task> answering = [];
    private Socket? listener;
    private Task? accepting;
    private bool bound;

    public void Start()
    {
        // The folder is checked before anything in it is touched: a stale socket is removed only from a folder of ours.
        var folder = Path.GetDirectoryName(path)!;
        if (folder == ControlFolder.Default)
        {
            ControlFolder.EnsurePrivate(folder);
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }

        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        bound = true;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        accepting = AcceptLoopAsync();
    }

    /// <remarks>
    /// New connections stop first; answers already being made get a moment to go out (a reload that hoist serve's stop
    /// abandoned answers so, and its asker must hear it), and only then is every one still open cancelled.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        listener?.Dispose();
        if (accepting is not null)
        {
            await accepting.ConfigureAwait(false);
        }

        Task[] open;
        lock (answering)
        {
            open = [.. answering];
        }

        await Task.WhenAny(Task.WhenAll(open), Task.Delay(AnswerGrace)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(open).ConfigureAwait(false);

        // Only the socket this server made, and never an error of its own: disposing runs on the way out of a failed
        // start too, whose own error (such as EnsurePrivate's) is the one the user must see.
        if (!bound)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            log.Info($"could not remove the control socket {path}: {error.Message}");
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener!.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var serving = ServeAsync(client);
            lock (answering)
            {
                answering.Add(serving);
            }

            _ = serving.ContinueWith(
                done =>
                {
                    lock (answering)
                    {
                        answering.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var command = (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) ?? "").Trim();
            var answer = await handle(command, stop.Token).ConfigureAwait(false);
            await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(answer, answer.GetType(), ControlJson.Default), stop.Token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // Whatever went wrong, it is logged: the asker only sees the connection close.
            log.Info($"control socket: '{error.GetType().Name}: {error.Message}'");
        }
    }
}
