namespace Hoist.Config.Loading;

/// <summary>The outcome of expanding one scalar: its value, the variables it read, and any problems.</summary>
internal sealed record Interpolated(string Value, IReadOnlyList<string> Variables, IReadOnlyList<string> Errors);
