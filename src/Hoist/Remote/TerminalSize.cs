namespace Hoist.Remote;

/// <summary>A terminal's size in characters, as a pty request and a window-change send it.</summary>
internal sealed record TerminalSize(int Columns, int Rows);
