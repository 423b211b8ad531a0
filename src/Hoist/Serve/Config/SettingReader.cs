namespace Hoist.Serve.Config;

using System.Globalization;
using Hoist.Config.Loading;

/// <summary>
/// Typed reads of <see cref="ServeSettings"/> by key. A read returns null when the key is absent, when its
/// value failed to expand (already reported), or when it is invalid (reported here, at the setting).
/// </summary>
internal sealed class SettingReader(ServeSettings settings, ServeErrors errors)
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    public ServeDialect Dialect => settings.Dialect;

    /// <summary>The first setting of <paramref name="key"/>; repeats are reported by the source's reader.</summary>
    public ServeSetting? Find(string key) => settings.Values.FirstOrDefault(s => s.Key == key);

    /// <summary>A key as the source spells it, quoted for a message.</summary>
    public string Name(string key) => $"'{Dialect.Name(key)}'";

    public void Error(ServeSetting setting, string message) => errors.Add(setting.Site, message);

    /// <summary>
    /// An error, placed at the section, that none of <paramref name="keys"/> is set; unless one of them was
    /// misspelt, which is reported already.
    /// </summary>
    public void Missing(IReadOnlyList<string> keys, string message)
    {
        if (!keys.Any(settings.Misspelt.Contains))
        {
            errors.Add(settings.Section with { Path = Dialect.Path(keys[0]) }, message);
        }
    }

    public bool? Bool(string key)
    {
        var (setting, text) = Get(key);
        if (setting is null || text is null)
        {
            return null;
        }

        var word = text.Value.Trim();
        if (TrueWords.Contains(word, StringComparer.OrdinalIgnoreCase) || FalseWords.Contains(word, StringComparer.OrdinalIgnoreCase))
        {
            return TrueWords.Contains(word, StringComparer.OrdinalIgnoreCase);
        }

        Error(setting, $"expected true or false (or yes/no, on/off, 1/0), got {text.Quoted}");
        return null;
    }

    public int? Int(string key, int min, int max = int.MaxValue) => (int?)Long(key, min, max);

    public long? Long(string key, long min, long max = long.MaxValue)
    {
        var (setting, text) = Get(key);
        if (setting is null || text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Error(setting, $"expected an integer, got {text.Quoted}");
            return null;
        }

        if (number < min || number > max)
        {
            Error(setting, max is int.MaxValue or long.MaxValue ? $"must be at least {min}, got {number}" : $"must be between {min} and {max}, got {number}");
            return null;
        }

        return number;
    }

    public TimeSpan? Seconds(string key) => Int(key, 1) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>A path on this machine: <c>~/</c> from HOME, a relative one against <paramref name="relativeTo"/> or the file's folder.</summary>
    public string? Path(string key, string? relativeTo = null)
    {
        var (setting, text) = Get(key);
        if (setting is null || text is null)
        {
            return null;
        }

        return ResolvePath(setting, text.Value, relativeTo);
    }

    public string? ResolvePath(ServeSetting setting, string path, string? relativeTo = null)
    {
        if (path.Trim().Length == 0)
        {
            Error(setting, $"{Name(setting.Key)} has no value; give a path or remove it");
            return null;
        }

        var paths = relativeTo is null ? settings.Paths : settings.Paths.RelativeTo(relativeTo);
        var full = paths.Resolve(path, out var error);
        if (full is null)
        {
            Error(setting, error);
        }

        return full;
    }

    private (ServeSetting? Setting, ScalarText? Text) Get(string key) => Find(key) is { } setting ? (setting, setting.Text) : (null, null);
}
