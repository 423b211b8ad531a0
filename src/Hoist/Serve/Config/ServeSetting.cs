namespace Hoist.Serve.Config;

using Hoist.Config.Loading;

/// <summary>
/// One setting as read from its source: <paramref name="Key"/> in ini spelling, its text after placeholders and
/// variables were expanded, or null when expanding failed (already reported, so it is not checked again).
/// </summary>
internal sealed record ServeSetting(string Key, ScalarText? Text, SettingSite Site);
