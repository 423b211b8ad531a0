namespace Hoist.Config;

/// <summary>The text of a destination's overlay file (<c>hoist.NAME.yml</c>), to be merged over hoist.yml.</summary>
/// <param name="Destination">The name given with -d.</param>
/// <param name="Text">The file's text; empty or comments only changes nothing.</param>
/// <param name="DisplayPath">The file as errors name it.</param>
/// <param name="FullPath">Its full path, kept in the config for what prints it.</param>
internal sealed record ConfigOverlay(string Destination, string Text, string DisplayPath, string FullPath);
