namespace Hoist.Serve;

/// <summary>Text cut to a length, marked with "..." where it was cut, never in the middle of a surrogate pair.</summary>
internal static class Capped
{
    public static string To(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 3;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return text[..keep] + "...";
    }
}
