namespace Hoist.Serve.Config;

/// <summary>Where a setting was written: what a <see cref="Hoist.Config.ConfigError"/> about it points at.</summary>
internal sealed record SettingSite(int Line, int Column, string Path)
{
    /// <summary>The file, when it is not the one being read (a destination's overlay of hoist.yml).</summary>
    public string? File { get; init; }
}
