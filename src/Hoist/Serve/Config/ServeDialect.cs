namespace Hoist.Serve.Config;

/// <summary>
/// How one source spells the settings: an ini writes <c>http-socket</c>, hoist.yml <c>serve.http_socket</c>.
/// Messages name keys through this, so both sources get the same words in their own spelling.
/// </summary>
internal sealed record ServeDialect(string Prefix, char Separator)
{
    public static readonly ServeDialect Ini = new("", '-');

    public static readonly ServeDialect Yaml = new("serve.", '_');

    /// <summary>Every known key in this dialect's spelling.</summary>
    public IReadOnlyList<string> Keys => ServeKeys.All.Select(Name).ToList();

    /// <summary>A key (given in ini spelling) as this source writes it.</summary>
    public string Name(string key) => key.Replace('-', Separator);

    /// <summary>The config path an error about <paramref name="key"/> carries.</summary>
    public string Path(string key) => Prefix + Name(key);

    /// <summary>The ini spelling of a key written in this dialect.</summary>
    public string Canonical(string name) => name.Replace(Separator, '-');
}
