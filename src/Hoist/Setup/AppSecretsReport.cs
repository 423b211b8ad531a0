namespace Hoist.Setup;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// The values of setup.secrets a web host's shared/.env already holds (in setup-read-passwords), so setup keeps
/// them and gives a host that lacks one the fleet's; markers, never shown. An empty value counts as none.
/// </summary>
internal sealed record AppSecretsReport(IReadOnlyDictionary<string, string> Values)
{
    private static readonly ReportKey ValueKey = new("app_secret");

    /// <summary>Lines that report <c>NAME=value</c> for each of <paramref name="names"/> found, in a script that set <see cref="ReportKey.AssignPrefix"/> and defined <see cref="EnvLines.Functions"/>.</summary>
    public static string Lines(IEnumerable<string> names) =>
        "env_read \"$D/shared/.env\"\n" + string.Join('\n', names.Select(name =>
            $"if env_get {ShellQuote.Quote(name)} && [ -n \"$ENV_VALUE\" ]; then {ValueKey.EchoViaPrefix(name + "=$ENV_VALUE")}; fi"));

    /// <summary>The values the run reported, by name (the first of a name wins, as in <see cref="EnvLines"/>' env_get).</summary>
    public static AppSecretsReport Read(HostRun run)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ValueKey.All(run))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values.TryAdd(line[..eq], line[(eq + 1)..]);
            }
        }

        return new AppSecretsReport(values);
    }

    /// <summary>Never the values.</summary>
    public override string ToString() => $"{nameof(AppSecretsReport)} {{ {string.Join(", ", Values.Keys)} }}";
}
