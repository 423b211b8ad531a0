namespace Hoist.Deploy;

/// <summary>How a release's revision is shown: a git sha shortened to 12, an upload's content id whole.</summary>
internal static class Revision
{
    public static string Short(string revision) =>
        revision.StartsWith("upload-", StringComparison.Ordinal) || revision.Length <= 12 ? revision : revision[..12];
}
