namespace Hoist.Status;

using Hoist.Deploy;

/// <summary>Who made a release live and when, from the host's <c>.hoist/audit.log</c> (<see cref="Core.RunContext.AuditLine"/>).</summary>
/// <param name="What">deploy, rollback, or revert (a failed run put it back).</param>
internal sealed record AuditEntry(string At, string By, string What, string? Destination)
{
    /// <summary>
    /// The last line that made <paramref name="release"/> live: a deploy or rollback of it (<c>release=ID</c>), or a
    /// revert back to it (<c>back=ID</c>). Lines are the host's text: anything not of that shape is passed over.
    /// </summary>
    public static AuditEntry? Find(IEnumerable<string> lines, string? release)
    {
        if (!ReleaseId.IsValid(release))
        {
            return null;
        }

        foreach (var line in lines.Reverse())
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4 || !DateTimeOffset.TryParse(words[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
            {
                continue;
            }

            var what = words[2] == "revert" ? "revert" : words[2];
            var field = what == "revert" ? "back=" : "release=";
            if (what is not ("deploy" or "rollback" or "revert") || !words.Skip(3).Contains(field + release))
            {
                continue;
            }

            var destination = words.Skip(3).FirstOrDefault(w => w.StartsWith("destination=", StringComparison.Ordinal))?["destination=".Length..];
            return new AuditEntry(words[0], words[1], what, destination);
        }

        return null;
    }
}
