namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The values only a host knows (its <c>shared/.env</c> with setup's DATABASE_URL, <c>.env.migrate</c>, serve's
/// env-file), read back so that a build or command that sources and echoes them shows <c>[REDACTED]</c> instead.
/// </summary>
/// <remarks>
/// They come back as markers, which are never shown, at the start of the script, followed by a done marker; the
/// runner holds every other line until it has read that one, so no line is shown before the values are known,
/// whichever stream it comes on. Each value is read as each of the file's readers reads it (<see cref="EnvReadings"/>),
/// and only the secrets among them are hidden (<see cref="HostSecretRule"/>); a file the login user cannot read is
/// one its commands cannot echo either.
/// </remarks>
internal static class HostSecrets
{
    /// <summary>One line of one of the files; learnt by the runner as it comes (<see cref="Learn"/>), never kept.</summary>
    public static readonly ReportKey LineKey = new("env_line");

    /// <summary>Reported once every value has come back: the runner shows the host's other output only after it.</summary>
    public static readonly ReportKey DoneKey = new("env_done");

    /// <summary>At most this many lines of each file come back: a .env is short, a mistaken 1 GB file is not, and every value costs each printed line a search.</summary>
    private const int MaxLines = 200;

    /// <summary>The names the config calls secrets: <c>secrets:</c>, and <c>setup.secrets</c>, which setup generates into the host's .env.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SecretNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the report of the host's values; call it before anything that may print one (the lock's holder, a
    /// build): the script's output is held until its end (<see cref="Script.ShowAfter"/>).
    /// </summary>
    public static ScriptBuilder Report(ScriptBuilder script, HoistConfig config)
    {
        foreach (var name in config.Env.Where(e => e.Value.IsSecret).Select(e => e.Name).Concat(config.Setup?.Secrets ?? []))
        {
            SecretNames.TryAdd(name, true);
        }

        var files = new List<string> { DeployPaths.Shared + "/.env", DeployPaths.Root + "/.env.migrate" };
        if (config.Serve?.EnvFile is { } envFile)
        {
            files.Add(ShellQuote.Quote(envFile));
        }

        return script
            .Raw($"for f in {string.Join(' ', files)}; do")
            .Raw($"  if [ -f \"$f\" ] && [ -r \"$f\" ]; then head -n {MaxLines} \"$f\" | while IFS= read -r l || [ -n \"$l\" ]; do printf '%s\\n' {ShellQuote.Quote(LineKey.LineStart)}\"$l\"; done; fi")
            .Raw("done")
            .Report(DoneKey, "1")
            .ShowAfter(DoneKey);
    }

    /// <summary>Learns the secrets of one line a host reported (<see cref="HostSecretRule"/>); lines that are not NAME=value are ignored.</summary>
    public static void Learn(string line)
    {
        if (EnvReadings.TryRead(line, out var name, out var values))
        {
            KnownSecrets.AddRange(HostSecretRule.SecretsOf(name, values, SecretNames.Keys.ToHashSet(StringComparer.Ordinal)));
        }
    }
}
