namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>shared:</c>, paths kept across releases, relative to the app's shared folder.</summary>
internal static class SharedReader
{
    public static IReadOnlyList<string> Read(NodeReader reader, YamlNode? node)
    {
        var paths = new List<string>();
        if (node is null)
        {
            return paths;
        }

        foreach (var (item, path) in reader.Items(node, "shared", "a list of relative paths such as [media, .env]"))
        {
            var text = reader.Text(item, path, "a relative path such as media or .env");
            if (text is null)
            {
                continue;
            }

            var clean = text.Value.TrimEnd('/');
            if (Problem(text.Value) is { } problem)
            {
                reader.Error(item, path, $"{text.Quoted} {problem}");
            }
            else if (paths.Contains(clean))
            {
                reader.Error(item, path, $"'{clean}' is listed twice; remove one");
            }
            else
            {
                paths.Add(clean);
            }
        }

        return paths;
    }

    private static string? Problem(string value)
    {
        if (value.StartsWith('/'))
        {
            return $"must be relative to the shared folder; did you mean '{value.TrimStart('/')}'?";
        }

        var segments = value.TrimEnd('/').Split('/');
        if (value.Length == 0 || segments.Any(s => s is "" or "."))
        {
            return "is not a clean relative path; write it like 'media' or 'config/app.ini'";
        }

        return segments.Contains("..") ? "must not contain '..'; shared paths stay inside the shared folder" : null;
    }
}
