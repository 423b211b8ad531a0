namespace Hoist.Shell;

/// <summary>The keys any script may report, read by the runner while the script runs rather than after it.</summary>
internal static class ScriptMarkers
{
    /// <summary>The step a script begins (<see cref="ScriptBuilder.Step"/>): shown per host, and named when the script fails.</summary>
    public static readonly ReportKey Step = new("step");

    /// <summary>The script is ready for its payload on stdin (the upload's tar, setup's hoist): only then is it sent.</summary>
    public static readonly ReportKey Payload = new("payload");

    /// <summary>The value <see cref="Payload"/> is reported with.</summary>
    public const string PayloadWanted = "wanted";
}
