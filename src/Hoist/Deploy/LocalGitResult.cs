namespace Hoist.Deploy;

/// <summary>How a local git run ended: its exit code, its stdout (when kept) and the last lines of its stderr.</summary>
internal sealed record LocalGitResult(int ExitCode, string Output, string Errors)
{
    public bool Ok => ExitCode == 0;

    /// <summary>": what git said", or nothing when it said nothing.</summary>
    public string Said => Errors.Length == 0 ? $" (git exited {ExitCode})" : ": " + Errors;
}
