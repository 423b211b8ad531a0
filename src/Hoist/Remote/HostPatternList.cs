namespace Hoist.Remote;

/// <summary>A comma-separated list of host patterns with "*", "?" and "!" negation.</summary>
internal sealed class HostPatternList(IReadOnlyList<string> patterns) : IHostMatcher
{
    public IReadOnlyList<string> Patterns { get; } = patterns;

    // As in OpenSSH, a matching negated pattern vetoes the line whatever else matches.
    public bool Matches(string name)
    {
        var matched = false;
        foreach (var pattern in Patterns)
        {
            var negated = pattern.StartsWith('!');
            if (!WildcardPattern.Matches(name, negated ? pattern[1..] : pattern))
                continue;
            if (negated)
                return false;
            matched = true;
        }
        return matched;
    }
}
