namespace Hoist.Shell;

/// <summary>One piece of a shell command line: a quoted word, or shell syntax taken as written.</summary>
internal abstract record ShellPart
{
    public static implicit operator ShellPart(string word) => new WordPart(ShellValue.Plain(word));

    public static implicit operator ShellPart(ShellValue value) => new WordPart(value);

    /// <summary>The text for a shell: <paramref name="reveal"/> false shows secrets as [REDACTED].</summary>
    public abstract string Render(bool reveal);
}

/// <summary>A value that becomes exactly one shell word, whatever it contains.</summary>
internal sealed record WordPart(ShellValue Value) : ShellPart
{
    public override string Render(bool reveal) =>
        ShellQuote.Quote(reveal ? Value.Reveal() : Value.Shown);
}

/// <summary>Shell syntax written by Hoist or by the user's config (operators, expansions, snippets).</summary>
internal sealed record RawPart(string Text) : ShellPart
{
    public override string Render(bool reveal) => Text;
}

/// <summary><c>NAME=value</c> as one word, the value quoted (and redacted when shown, if secret).</summary>
internal sealed record AssignmentPart(string Name, ShellValue Value) : ShellPart
{
    public override string Render(bool reveal) => Name + "=" + new WordPart(Value).Render(reveal);
}

/// <summary>A whole script as one quoted word (a file a script writes), its secrets redacted when shown.</summary>
internal sealed record ScriptPart(Script Inner) : ShellPart
{
    public override string Render(bool reveal) => ShellQuote.Quote(Inner.Render(reveal));
}
