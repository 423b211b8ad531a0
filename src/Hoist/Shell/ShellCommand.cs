namespace Hoist.Shell;

/// <summary>One line of shell, built from parts so that every value is quoted by <see cref="ShellQuote"/>.</summary>
internal sealed record ShellCommand(IReadOnlyList<ShellPart> Parts)
{
    public ShellCommand(params ShellPart[] parts)
        : this((IReadOnlyList<ShellPart>)parts)
    {
    }

    /// <summary>Shell syntax as written, e.g. <c>&amp;&amp;</c> or <c>"$D"/current</c>.</summary>
    public static RawPart Raw(string text) => new(text);

    /// <summary>A command the user wrote in the config, run as the shell would read it.</summary>
    public static ShellCommand Snippet(string text) => new(new RawPart(text));

    public string Render(bool reveal) => string.Join(' ', Parts.Select(p => p.Render(reveal)));

    public override string ToString() => Render(reveal: false);
}
