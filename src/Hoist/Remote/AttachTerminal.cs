namespace Hoist.Remote;

/// <summary>The local terminal a command with a pty is shown on.</summary>
/// <param name="Term">The TERM the host's programs are told.</param>
/// <param name="Raw">Makes the terminal raw once the command runs, calling back with each new size; disposing it puts the terminal back.</param>
internal sealed record AttachTerminal(string Term, TerminalSize Size, Func<Action<TerminalSize>, IDisposable> Raw);
