namespace Hoist.Shell;

/// <summary>A string bound for a shell, which may be secret.</summary>
internal sealed record ShellValue
{
    private readonly string? plain;
    private readonly Secret? secret;

    private ShellValue(string? plain, Secret? secret) => (this.plain, this.secret) = (plain, secret);

    public static ShellValue Plain(string value) => new(value, null);

    public static ShellValue Hidden(string value) => new(null, new Secret(value));

    public bool IsSecret => secret is not null;

    /// <summary>The text as it may be shown: secrets as [REDACTED].</summary>
    public string Shown => plain ?? Secret.Redacted;

    /// <summary>The real text, for scripts sent to a host over stdin.</summary>
    public string Reveal() => plain ?? secret!.Reveal();

    public override string ToString() => Shown;
}
