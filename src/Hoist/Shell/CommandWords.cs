namespace Hoist.Shell;

/// <summary>
/// The command after <c>--</c> of exec and run, as the host's shell gets it. One word is a command line of its own
/// (<c>hoist run -- 'ls | wc -l'</c>: pipes, <c>$VAR</c> and <c>;</c> are the host shell's); several words are one
/// argument list, each word quoted, so <c>hoist run -- python3 -c 'print(1)'</c> reaches python3 as typed (ssh's
/// plain join would hand the host shell <c>print(1)</c> unquoted).
/// </summary>
internal static class CommandWords
{
    public static string Join(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(' ', words.Select(ShellQuote.Quote));
}
