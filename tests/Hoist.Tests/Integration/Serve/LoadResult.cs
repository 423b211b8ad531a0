namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;

/// <summary>Every request of a <see cref="ClientLoad"/>, in the order they started.</summary>
internal sealed class LoadResult(IReadOnlyList<LoadSample> samples)
{
    public IReadOnlyList<LoadSample> Samples { get; } = samples;

    public int Total => Samples.Count;

    public IReadOnlyList<LoadSample> Failures { get; } = samples.Where(s => !s.Ok).ToList();

    public double Seconds => Samples.Count == 0 ? 0 : Stopwatch.GetElapsedTime(Samples[0].Start, Samples.Max(s => s.End)).TotalSeconds;

    public override string ToString() =>
        $"{Total} requests in {Seconds:0.0} s ({(Seconds > 0 ? Total / Seconds : 0):0} req/s), {Failures.Count} failed" +
        (Failures.Count == 0 ? "" : ": " + string.Join(" | ", Failures.GroupBy(f => f.ToString()).Select(g => $"{g.Count()}× {Trim(g.Key)}")));

    private static string Trim(string text) => text.Length > 400 ? text[..400] + "..." : text;
}
