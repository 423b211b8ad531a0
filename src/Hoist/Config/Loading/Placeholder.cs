namespace Hoist.Config.Loading;

/// <summary>
/// The mark <c>hoist init</c> writes where only the user knows the value (a host, the repository), so that the
/// config is refused, naming the key and the fix, until it is set, instead of SSH failing on a made-up name.
/// </summary>
internal static class Placeholder
{
    public const string Mark = "CHANGE-ME";

    /// <summary>The error for a value that still holds the mark, or null.</summary>
    /// <param name="fix">What to write instead, e.g. "the web host's address (root@203.0.113.10)".</param>
    /// <param name="option">The hoist init option that writes it (--web).</param>
    public static string? Problem(ScalarText text, string fix, string option) =>
        text.Value.Contains(Mark, StringComparison.Ordinal)
            ? $"{text.Quoted} is a placeholder written by hoist init; replace it with {fix}, or run `hoist init {option} ... --force` again"
            : null;
}
