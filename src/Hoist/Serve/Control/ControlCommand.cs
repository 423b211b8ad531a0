namespace Hoist.Serve.Control;

using System.Globalization;

/// <summary>The control socket's command words that carry a value, written and read in one place.</summary>
internal static class ControlCommand
{
    private const string HoldPrefix = "reload hold=";

    /// <summary>The reload with a hold of <paramref name="hold"/> (whole seconds).</summary>
    public static string ReloadWithHold(TimeSpan hold) => HoldPrefix + ((int)hold.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>The hold <paramref name="command"/> asks for (1 s or more), or null when it is no reload with a hold.</summary>
    public static TimeSpan? Hold(string command) =>
        command.StartsWith(HoldPrefix, StringComparison.Ordinal)
        && int.TryParse(command.AsSpan(HoldPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
