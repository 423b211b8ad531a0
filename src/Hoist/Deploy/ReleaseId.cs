namespace Hoist.Deploy;

using System.Text.RegularExpressions;

/// <summary>Release folder names: a UTC stamp, with a -N suffix when two deploys share a second.</summary>
internal static partial class ReleaseId
{
    /// <summary>Only such names ever reach an rm, ln or rollback: anything else a host reports is ignored.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex(@"^\d{14}(-\d{1,4})?\z")]
    private static partial Regex Pattern();
}
