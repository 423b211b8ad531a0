namespace Hoist.Serve.Config;

using Hoist.Config.Loading;

/// <summary>One worker environment variable as written; <paramref name="Value"/> is null when it failed to expand.</summary>
internal sealed record ServeEnvEntry(string Name, ScalarText? Value, SettingSite Site);
