namespace Hoist.Serve.Config;

/// <summary>One <c>key = value</c> line of an ini's <c>[uwsgi]</c> section, value as written (trimmed).</summary>
internal sealed record IniEntry(string Key, string Value, int Line, int KeyColumn, int ValueColumn);
