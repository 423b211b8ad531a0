namespace Hoist.Output;

using System.Globalization;
using System.Text;
using Hoist.Shell;

/// <summary>
/// What any text from a host, a config or a message becomes before it reaches a terminal or a log: known secrets as
/// [REDACTED], and control characters made visible (<c>\x1b</c>), so no host, config value or lock holder can move the
/// cursor, retitle the window, clear the screen or forge a line. Hoist's own styling is added after, by the reporter.
/// </summary>
internal static partial class TerminalText
{
    /// <summary>
    /// The text as it may be shown: colour and style sequences dropped, secrets redacted (also as a terminal would spell
    /// them after carriage returns, <see cref="Overlaid"/>), then every other control character made visible. A build that
    /// colours its output (npm, pytest with FORCE_COLOR) reads as plain text rather than as a line of <c>\x1b[32m</c>;
    /// a sequence that moves, clears or retitles anything is shown, not obeyed. Colours go first, so that one inside a
    /// secret (`grep --color` on a .env) cannot hide it from the redaction; a line whose control characters split a
    /// secret is shown without them.
    /// </summary>
    public static string Clean(string text)
    {
        var plain = Style().Replace(text, "");
        if (!plain.Any(IsControl))
        {
            return KnownSecrets.Redact(plain);
        }

        // A secret with a NUL, an escape sequence or a carriage return inside (printf '%s\r%s') is read whole by anyone
        // who drops the \x.. from the shown text, and a terminal would join the pieces: searched for with the control
        // characters and sequences left out, and such a line is shown without them.
        var redacted = KnownSecrets.Redact(plain);
        var bare = new string(Escape().Replace(redacted, "").Where(c => !IsControl(c)).ToArray());
        var hidden = KnownSecrets.Redact(bare);
        if (hidden != bare)
        {
            return hidden;
        }

        // What a terminal would spell after its carriage returns and backspaces is searched too; but unless it hides a
        // secret, the line is shown with them as \x0d and \x08: obeyed, a carriage return lets a host print "locked by
        // bob" and then write a line of its own over it.
        var overlaid = Overlaid(redacted);
        var overlaidHidden = KnownSecrets.Redact(overlaid);
        return Visible(overlaidHidden != overlaid ? overlaidHidden : redacted);
    }

    /// <summary>
    /// The text as a terminal shows it after each carriage return and backspace (what follows overwrites the line from
    /// its start, or the character before): a progress bar reads as its last state rather than as every state joined
    /// by <c>\x0d</c>, and <c>secreX\bt</c> as what it spells.
    /// </summary>
    public static string Overlaid(string text)
    {
        if (!text.Contains('\r', StringComparison.Ordinal) && !text.Contains('\b', StringComparison.Ordinal))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length);
        var (lineStart, at) = (0, 0);
        foreach (var c in text)
        {
            if (c == '\r')
            {
                at = lineStart;
            }
            else if (c == '\b')
            {
                at = Math.Max(lineStart, at - 1);
            }
            else if (c == '\n')
            {
                shown.Append(c);
                lineStart = at = shown.Length;
            }
            else if (at < shown.Length)
            {
                shown[at++] = c;
            }
            else
            {
                shown.Append(c);
                at++;
            }
        }

        return shown.ToString();
    }

    /// <summary>
    /// Control characters (C0 but line feed and tab, DEL, C1) and the bidirectional overrides that reorder what is
    /// read, as <c>\xHH</c> / <c>\uHHHH</c>. Line feeds stay unless <paramref name="oneLine"/>: Hoist's own messages
    /// span lines, and a host's output arrives a line at a time, so a line feed in it cannot occur; a line of a file
    /// (the audit log) must stay one line.
    /// </summary>
    public static string Visible(string text, bool oneLine = false)
    {
        bool NeedsEscape(char c) => IsControl(c) || (oneLine && c is '\n' or '\t');
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!NeedsEscape(c))
            {
                shown.Append(c);
            }
            else if (c < 0x100)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return shown.ToString();
    }

    private static bool IsControl(char c) =>
        (char.IsControl(c) && c is not '\n' and not '\t') || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary>
    /// SGR (ESC [ parameters m: colours and weights) and the erase-to-line-end that grep --color puts after each: nothing
    /// that moves the cursor, clears the screen or reaches the window.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;:]{0,32}m|\x1b\[0?K")]
    private static partial System.Text.RegularExpressions.Regex Style();

    /// <summary>Any escape sequence (ECMA-48: CSI, OSC up to BEL or ST, or ESC with its intermediate and final bytes).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(\x1b\]|\x9d)[^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]")]
    private static partial System.Text.RegularExpressions.Regex Escape();
}
