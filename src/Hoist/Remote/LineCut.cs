namespace Hoist.Remote;

using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>
/// A line of host output cut to a length, ending in <c>… (N more characters)</c>: what is kept of a host's output
/// and shown of it, so that a 20 MB line costs neither memory nor a 20 MB error message.
/// </summary>
internal static partial class LineCut
{
    /// <summary>The most characters of one line of host output that are shown or kept for an error message.</summary>
    public const int MaxShown = 4096;

    /// <summary>The line with a note of <paramref name="dropped"/> characters left out of it (none: the line).</summary>
    public static string Mark(string line, long dropped) =>
        dropped == 0 ? line : line + string.Create(CultureInfo.InvariantCulture, $"… ({dropped} more characters)");

    /// <summary>The line cut to <paramref name="max"/> characters, counting those an earlier cut (<see cref="Mark"/>) left out.</summary>
    public static string Shorten(string line, int max = MaxShown)
    {
        if (line.Length <= max)
        {
            return line;
        }

        long more = line.Length - max;
        var note = Note().Match(line);
        if (note.Success)
        {
            more += long.Parse(note.Groups[1].Value, CultureInfo.InvariantCulture) - note.Length;
        }

        return Mark(line[..max], Math.Max(1, more));
    }

    [GeneratedRegex(@"… \((\d{1,18}) more characters\)$")]
    private static partial Regex Note();
}
