namespace Hoist.Serve.Workers;

/// <summary>
/// A line a worker that shares hoist serve's socket prints on stdout to tell it something:
/// <c>::hoist-KIND:: TOKEN DETAIL</c>. Only lines with the worker's own token count.
/// </summary>
internal sealed record WorkerNotice(WorkerNoticeKind Kind, string Detail)
{
    private const string Start = "::hoist-";

    public static WorkerNotice? Parse(string line, string token)
    {
        if (!line.StartsWith(Start, StringComparison.Ordinal))
        {
            return null;
        }

        var end = line.IndexOf(":: ", Start.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var rest = line[(end + 3)..];
        if (!rest.StartsWith(token, StringComparison.Ordinal) || (rest.Length > token.Length && rest[token.Length] != ' '))
        {
            return null;
        }

        WorkerNoticeKind? kind = line[Start.Length..end] switch
        {
            "ready" => WorkerNoticeKind.Ready,
            "unready" => WorkerNoticeKind.Unready,
            "recycle" => WorkerNoticeKind.Recycle,
            "harakiri" => WorkerNoticeKind.Harakiri,
            _ => null,
        };
        return kind is { } known ? new WorkerNotice(known, rest[token.Length..].Trim()) : null;
    }
}

internal enum WorkerNoticeKind
{
    /// <summary>Loaded, health check passed, accepting.</summary>
    Ready,

    /// <summary>The health check failed (detail: what it answered); the worker exits without serving.</summary>
    Unready,

    /// <summary>Served its max-requests (detail: the count); it keeps serving until replaced.</summary>
    Recycle,

    /// <summary>A request ran past harakiri (detail: its path); the worker answered 504 and exits.</summary>
    Harakiri,
}
