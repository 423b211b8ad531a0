namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// The values only a host knows (its <c>shared/.env</c> with setup's DATABASE_URL, <c>.env.migrate</c>, serve's
/// env-file), read back so that a build or command that sources and echoes them shows <c>[REDACTED]</c> instead.
/// </summary>
/// <remarks>
/// They come back as markers, which are never shown, near the start of the script, so they are known long before
/// the build's first line. Each value is parsed as hoist serve parses the file; a file the login user cannot read
/// is one its commands cannot echo either.
/// </remarks>
internal static class HostSecrets
{
    public const string MarkerKey = "env_line";

    /// <summary>At most this many lines of each file come back: a .env is short, a mistaken 1 GB file is not, and every value costs each printed line a search.</summary>
    private const int MaxLines = 200;

    public static ScriptBuilder Report(ScriptBuilder script, HoistConfig config)
    {
        var files = new List<string> { DeployPaths.Shared + "/.env", DeployPaths.Root + "/.env.migrate" };
        if (config.Serve?.EnvFile is { } envFile)
        {
            files.Add(ShellQuote.Quote(envFile));
        }

        return script
            .Raw($"for f in {string.Join(' ', files)}; do")
            .Raw($"  if [ -f \"$f\" ] && [ -r \"$f\" ]; then head -n {MaxLines} \"$f\" | while IFS= read -r l || [ -n \"$l\" ]; do printf '%s\\n' {ShellQuote.Quote(Marker.Prefix + MarkerKey + "=")}\"$l\"; done; fi")
            .Raw("done");
    }

    /// <summary>Learns the value of one line a host reported; lines that are not NAME=value are ignored.</summary>
    public static void Learn(string line)
    {
        try
        {
            KnownSecrets.AddRange(EnvFile.Parse(line, "host env").Select(e => e.Value));
        }
        catch (FormatException)
        {
            // Not an assignment (a stray line): nothing a command could have exported.
        }
    }
}
