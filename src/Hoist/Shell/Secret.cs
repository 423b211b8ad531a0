namespace Hoist.Shell;

/// <summary>A value that must never be printed, logged or put in a process's argument list.</summary>
internal sealed class Secret
{
    public const string Redacted = "[REDACTED]";

    /// <summary>The shortest secret the config accepts: a shorter one is guessable, and hiding it mangles every message.</summary>
    public const int MinLength = 8;

    private readonly string value;

    /// <remarks>Joins <see cref="KnownSecrets"/>, so host output or a message that repeats the value never shows it.</remarks>
    public Secret(string value)
    {
        this.value = value;
        KnownSecrets.Add(value);
    }

    /// <summary>The real value, for the one place that sends it to a host's stdin.</summary>
    public string Reveal() => value;

    public override string ToString() => Redacted;
}
