namespace Hoist.Config;

/// <summary>One problem in a config file, placed at the YAML node that causes it.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line; 0 when the problem is the file itself (missing, unreadable).</param>
/// <param name="Column">1-based column; 0 with <paramref name="Line"/> 0.</param>
/// <param name="Path">Where in the config, e.g. <c>hosts.web[0]</c>; empty for syntax and file errors.</param>
/// <param name="Message">What is wrong and, where there is an obvious one, the fix.</param>
internal sealed record ConfigError(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Path.Length > 0 ? $"{where}: {Path}: {Message}" : $"{where}: {Message}";
    }
}
