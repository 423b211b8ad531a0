namespace Hoist.Config;

using System.Diagnostics.CodeAnalysis;

/// <summary>A loaded config, or every error that kept it from loading; never both.</summary>
internal sealed record ConfigResult
{
    private ConfigResult(HoistConfig? config, IReadOnlyList<ConfigError> errors) =>
        (Config, Errors) = (config, errors);

    public HoistConfig? Config { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;

    public static ConfigResult Ok(HoistConfig config) => new(config, []);

    public static ConfigResult Failed(IReadOnlyList<ConfigError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("A failed result needs an error.", nameof(errors));

    public static ConfigResult Failed(ConfigError error) => new(null, [error]);
}
