namespace Hoist.Setup;

using System.Security.Cryptography;
using Hoist.Core;
using Hoist.Shell;

/// <summary>
/// Which value each of setup.secrets gets: the one the web hosts keep (a host that lacks it gets the fleet's, not a
/// new one), a new one where none has it or under --rotate-secret; web hosts that disagree are an error, since one
/// of them would have its app's sessions (or whatever the secret signs) cut off.
/// </summary>
internal static class AppSecretPlan
{
    /// <summary>A new value: 256 bits from the system's CSPRNG, as 64 hex digits (safe in any .env reader, URL or shell word).</summary>
    public static string NewValue() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <param name="kept">Each web host's report, by its display name, in hoist.yml's order.</param>
    /// <exception cref="HoistException">Hosts disagree, or one keeps a value too short to be a secret; every problem at once.</exception>
    public static IReadOnlyList<AppSecretChoice> Choose(
        IReadOnlyList<string> names, IReadOnlyCollection<string> rotate, IReadOnlyList<(string Host, AppSecretsReport Report)> kept, Func<string> newValue)
    {
        var choices = new List<AppSecretChoice>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            var holders = kept.Where(k => k.Report.Values.ContainsKey(name)).ToList();
            var missing = kept.Where(k => !k.Report.Values.ContainsKey(name)).Select(k => k.Host).ToList();
            if (rotate.Contains(name))
            {
                choices.Add(new AppSecretChoice(name, newValue(), AppSecretSource.Rotated, missing));
                continue;
            }

            var groups = holders.GroupBy(h => h.Report.Values[name], StringComparer.Ordinal).ToList();
            if (groups.Count == 0)
            {
                choices.Add(new AppSecretChoice(name, newValue(), AppSecretSource.Generated, missing));
            }
            else if (groups.Count > 1)
            {
                // Which host holds which value, never the values: "a: one value; b, c: another".
                var sides = groups.Select((g, i) => $"{string.Join(", ", g.Select(h => h.Host))} ({(i == 0 ? "one value" : "another")})");
                problems.Add($"{name} differs between the web hosts' shared/.env: {string.Join("; ", sides)}. " +
                    $"Make the lines agree by hand, or run `hoist setup --rotate-secret {name}` to give every web host a new one");
            }
            else if (groups[0].Key.Length < Secret.MinLength)
            {
                problems.Add($"{string.Join(", ", groups[0].Select(h => h.Host))}: shared/.env holds a {name} of {groups[0].Key.Length} characters, " +
                    $"too short to be a secret (at least {Secret.MinLength}); run `hoist setup --rotate-secret {name}` to replace it with a generated one");
            }
            else
            {
                choices.Add(new AppSecretChoice(name, groups[0].Key, AppSecretSource.Kept, missing));
            }
        }

        return problems.Count == 0
            ? choices
            : throw new HoistException(string.Join('\n', problems) + "\nno host was changed");
    }
}
