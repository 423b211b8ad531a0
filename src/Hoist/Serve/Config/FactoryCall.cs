namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>
/// The arguments of an app factory named in <c>module</c> (<c>flaskr:create_app()</c>, <c>app:create_app('prod')</c>):
/// literals only, as gunicorn's import_app evaluates them (ast.literal_eval), so a mistake is reported here, with the
/// config's line, rather than by a worker that fails to start.
/// </summary>
internal static partial class FactoryCall
{
    /// <summary>True when <paramref name="args"/> (the text between the parentheses) is empty or a list of literals, keyword ones too.</summary>
    public static bool IsLiteral(string args) => args.Trim().Length == 0 || Arguments().IsMatch(args);

    // A literal: a quoted string without escapes or line breaks, a number, True/False/None; a keyword argument is name=literal.
    private const string Literal = @"(?:'[^'\\\n]*'|""[^""\\\n]*""|-?[0-9]+(?:\.[0-9]+)?|True|False|None)";

    private const string Argument = @"\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*=\s*)?" + Literal + @"\s*";

    [GeneratedRegex("^" + Argument + "(?:," + Argument + ")*,?\\s*$")]
    private static partial Regex Arguments();
}
