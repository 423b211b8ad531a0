namespace Hoist.Shell;

/// <summary>A value that must never be printed, logged or put in a process's argument list.</summary>
internal sealed class Secret(string value)
{
    public const string Redacted = "[REDACTED]";

    /// <summary>The real value, for the one place that sends it to a host's stdin.</summary>
    public string Reveal() => value;

    public override string ToString() => Redacted;
}
