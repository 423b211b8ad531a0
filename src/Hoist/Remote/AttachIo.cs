namespace Hoist.Remote;

/// <summary>What a command attached to hoist (<c>hoist run</c>) is given: hoist's own streams, and its terminal when it has one.</summary>
/// <param name="Tty">Null: no terminal (stdin passed as a stream, stdout and stderr kept apart).</param>
internal sealed record AttachIo(Stream Input, Stream Output, Stream Error, AttachTerminal? Tty);
