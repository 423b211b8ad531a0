namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;

/// <summary>
/// Which <c>repo</c> values reach a host's git: the transports git runs by itself (ssh, https, http, git, file, scp-like
/// <c>user@host:path</c>, a path), never a remote helper (<c>fd::7</c>, <c>ext::cmd</c>, <c>foo://</c>), which can run
/// commands or wait forever on a file descriptor; and nothing git could read as an option.
/// </summary>
internal static partial class RepoRules
{
    private static readonly string[] Schemes = ["ssh", "git+ssh", "ssh+git", "https", "http", "git", "file"];

    private const string Fix = "use an ssh://, https://, http://, git:// or file:// URL, user@host:path, or a path on the host";

    /// <summary>Why the value cannot be used as <c>repo</c>, or null when it can.</summary>
    public static string? Problem(string repo)
    {
        if (repo.StartsWith('-'))
        {
            return "starts with '-', which git would read as an option; " + Fix;
        }

        if (Helper().Match(repo) is { Success: true } helper)
        {
            return $"uses git's remote helper '{helper.Groups[1].Value}::', which Hoist does not run (it can run commands on the host or wait forever); " + Fix;
        }

        if (Scheme().Match(repo) is { Success: true } scheme && !Schemes.Contains(scheme.Groups[1].Value.ToLowerInvariant()))
        {
            return $"uses the transport '{scheme.Groups[1].Value}://', which Hoist does not allow (git would run a remote helper for it); " + Fix;
        }

        if (repo.StartsWith('~') && repo != "~" && !repo.StartsWith("~/", StringComparison.Ordinal))
        {
            return "starts with '~user': only '~/' (the SSH user's home on the host) is expanded; write the path in full";
        }

        return null;
    }

    [GeneratedRegex("^([A-Za-z0-9][A-Za-z0-9+.-]*)::")]
    private static partial Regex Helper();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex Scheme();
}
