namespace Hoist.Serve.Config;

using System.Diagnostics.CodeAnalysis;
using Hoist.Config;

/// <summary>A loaded <see cref="ServeConfig"/>, or every error that kept it from loading; never both.</summary>
internal sealed record ServeConfigResult
{
    private ServeConfigResult(ServeConfig? config, IReadOnlyList<ConfigError> errors) =>
        (Config, Errors) = (config, errors);

    public ServeConfig? Config { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Said at load, whether or not it loaded (an ini key taken as a placeholder that nothing uses); never stops it.</summary>
    public IReadOnlyList<ConfigError> Warnings { get; init; } = [];

    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;

    public static ServeConfigResult Ok(ServeConfig config) => new(config, []);

    public static ServeConfigResult Failed(IReadOnlyList<ConfigError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("A failed result needs an error.", nameof(errors));

    public static ServeConfigResult Failed(ConfigError error) => new(null, [error]);

    /// <summary>The config when there are no errors, otherwise the errors.</summary>
    public static ServeConfigResult From(ServeConfig? config, IReadOnlyList<ConfigError> errors) =>
        errors.Count == 0 && config is not null ? Ok(config) : Failed(errors);
}
