namespace Hoist.Serve.Control;

using System.Globalization;

/// <summary>The control socket's command words that carry a value, written and read in one place.</summary>
internal static class ControlCommand
{
    /// <summary>
    /// The longest hold: a day. Held workers cost their memory (twice the workers) for as long as they are held, and a
    /// hold nobody ends (a killed deploy) must end by itself; a day is more than any deploy's gate needs.
    /// </summary>
    public const int MaxHoldSeconds = 86400;

    /// <summary>What a hold may be, for every refusal of one (the CLI's and the control socket's).</summary>
    public static readonly string HoldRange =
        $"a hold is a whole number of seconds from 1 to {MaxHoldSeconds.ToString(CultureInfo.InvariantCulture)} (one day)";

    private const string HoldPrefix = "reload hold=";

    /// <summary>The reload with a hold of <paramref name="hold"/> (whole seconds).</summary>
    public static string ReloadWithHold(TimeSpan hold) => HoldPrefix + ((int)hold.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>The hold <paramref name="command"/> asks for (1 s to a day), or null when it is no reload with a hold or asks for another.</summary>
    public static TimeSpan? Hold(string command) =>
        command.StartsWith(HoldPrefix, StringComparison.Ordinal)
        && int.TryParse(command.AsSpan(HoldPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && Fits(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>Why the server refuses <paramref name="command"/>, a reload with a hold out of range; null for any other command.</summary>
    public static string? Refusal(string command) =>
        command.StartsWith(HoldPrefix, StringComparison.Ordinal) && Hold(command) is null
            ? $"refused '{command}': {HoldRange}; nothing was reloaded"
            : null;

    public static bool Fits(long seconds) => seconds is >= 1 and <= MaxHoldSeconds;
}
