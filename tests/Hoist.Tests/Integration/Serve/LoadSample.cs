namespace Hoist.Tests.Integration.Serve;

/// <summary>One request of a load: when it started and ended (Stopwatch ticks), its status, what it said, or how it failed.</summary>
internal sealed record LoadSample(long Start, long End, int Status, string? Value, string? Error)
{
    public bool Ok => Error is null && Status is >= 200 and < 300;

    public override string ToString() => Error ?? $"{Status} {Value}";
}
