namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.Core;

/// <summary>Turns a YAML syntax error into a config error at the place the parser stopped.</summary>
internal static partial class YamlErrors
{
    public static ConfigError FromException(string file, YamlException e)
    {
        // YamlDotNet puts "(Line: 1, Col: 2, Idx: 1) - (Line: ...): " before the message; we print our own.
        var message = MarkPrefix().Replace(e.Message, "").Trim().TrimEnd('.');
        if (message.Length > 0)
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        if (message.StartsWith("duplicate key", StringComparison.Ordinal))
        {
            message += "; remove one of them";
        }

        var line = Math.Max(1, (int)e.Start.Line);
        var column = Math.Max(1, (int)e.Start.Column);
        return new ConfigError(file, line, column, "", $"YAML syntax error: {message}");
    }

    /// <summary>For parser failures that carry no position: the end of the last thing that parsed.</summary>
    public static ConfigError FromParserState(string file, IParser parser)
    {
        var mark = parser.Current?.End ?? Mark.Empty;
        const string message = "YAML syntax error after this point; check for an unclosed '[', '{' or quote";
        return new ConfigError(file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "", message);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
