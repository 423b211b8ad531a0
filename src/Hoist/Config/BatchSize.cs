namespace Hoist.Config;

using System.Globalization;

/// <summary>
/// How many hosts switch at a time (<c>deploy.batch</c>, <c>--batch</c>): a count such as 2, or a share of the hosts
/// such as 25% (rounded up, at least one host).
/// </summary>
internal sealed record BatchSize(int Value, bool Percent)
{
    public const string Expected = "a number of hosts such as 2, or a share of them such as 25% (1% to 100%)";

    /// <summary>The hosts of one batch among <paramref name="hosts"/>: never fewer than one, never more than all.</summary>
    public int Of(int hosts) => Math.Clamp(Percent ? (hosts * Value + 99) / 100 : Value, 1, Math.Max(hosts, 1));

    /// <summary>Reads "N" (N ≥ 1) or "N%" (1 ≤ N ≤ 100); null and a message saying what is wrong otherwise.</summary>
    public static BatchSize? Parse(string text, out string? error)
    {
        var percent = text.EndsWith('%');
        var digits = percent ? text[..^1] : text;
        error = null;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"expected {Expected}, got '{text}'";
            return null;
        }

        if (value < 1 || (percent && value > 100))
        {
            error = percent ? $"must be between 1% and 100%, got {text}" : $"must be at least 1 host, got {text} (leave it out to switch every host at once)";
            return null;
        }

        return new BatchSize(value, percent);
    }

    public override string ToString() => Percent ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : Value.ToString(CultureInfo.InvariantCulture);
}
