namespace Hoist.Remote;

/// <summary>Parses known_hosts text: "[@marker] hosts keytype base64 [comment]" per line.</summary>
internal static class KnownHostsParser
{
    private static readonly char[] FieldSeparators = [' ', '\t'];

    private const string Unsupported = "@cert-authority lines are not supported";

    public static (IReadOnlyList<KnownHostsEntry> Entries, IReadOnlyList<KnownHostsWarning> Warnings) Parse(
        string path, IEnumerable<string> lines)
    {
        var entries = new List<KnownHostsEntry>();
        var warnings = new List<KnownHostsWarning>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var entry = ParseLine(number, text, out var problem);
            if (entry is not null)
                entries.Add(entry);
            else if (problem is not null)
                warnings.Add(new KnownHostsWarning(path, number, problem, !problem.StartsWith(Unsupported, StringComparison.Ordinal), NamedHosts(text)));
        }
        return (entries, warnings);
    }

    /// <returns>The entry, or null with <paramref name="problem"/> saying why the line was skipped.</returns>
    private static KnownHostsEntry? ParseLine(int number, string text, out string? problem)
    {
        var fields = text.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
        var marker = KnownHostsMarker.None;
        if (fields[0].StartsWith('@'))
        {
            KnownHostsMarker? known = fields[0] switch
            {
                "@revoked" => KnownHostsMarker.Revoked,
                "@cert-authority" => KnownHostsMarker.CertAuthority,
                _ => null,
            };
            if (known is null)
                return Skip($"unknown marker '{fields[0]}'", out problem);
            marker = known.Value;
            fields = fields[1..];
        }
        if (fields.Length < 3)
            return Skip("expected host patterns, a key type and a base64 key", out problem);

        var hosts = ParseHosts(fields[0]);
        if (hosts is null)
            return Skip($"malformed host field '{fields[0]}'", out problem);
        var keyType = fields[1];
        var blob = Base64Field.TryDecode(fields[2]);
        if (blob is null)
            return Skip("the key is not valid base64", out problem);
        if (SshKeyBlob.TypeOf(blob) != keyType)
            return Skip($"the key is not of type '{keyType}'", out problem);
        if (!SshKeyBlob.IsComplete(blob))
            return Skip($"the key is not a whole {keyType} key (cut short, or with bytes left over)", out problem);
        if (marker == KnownHostsMarker.CertAuthority)
            return Skip(Unsupported + "; line ignored", out problem);

        problem = null;
        return new KnownHostsEntry(number, marker, hosts, keyType, blob);
    }

    /// <summary>
    /// The hosts a skipped line names, read leniently (empty patterns dropped), so that a broken line for a host
    /// keeps it from counting as unknown; null when the host field cannot be read at all.
    /// </summary>
    private static IHostMatcher? NamedHosts(string text)
    {
        var fields = text.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
        var field = fields[0].StartsWith('@') ? fields.ElementAtOrDefault(1) : fields[0];
        if (field is null)
            return null;
        if (field.StartsWith('|'))
            return HashedHostName.TryParse(field);
        var patterns = field.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "!").ToArray();
        return patterns.Length == 0 ? null : new HostPatternList(patterns);
    }

    private static IHostMatcher? ParseHosts(string field)
    {
        if (field.StartsWith('|'))
            return HashedHostName.TryParse(field);
        var patterns = field.Split(',');
        return patterns.Any(p => p.Length == 0 || p == "!") ? null : new HostPatternList(patterns);
    }

    private static KnownHostsEntry? Skip(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
