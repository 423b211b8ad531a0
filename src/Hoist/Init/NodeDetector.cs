namespace Hoist.Init;

using System.Text.Json;

/// <summary>A Node app: package.json, run by its "start" script (or <c>node</c> with its "main").</summary>
internal static class NodeDetector
{
    public static DetectedProject? Detect(ProjectFiles files)
    {
        var text = files.Read("package.json");
        if (text is null)
        {
            return null;
        }

        string? start = null, main = null;
        var dependencies = false;
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                start = String(root, "scripts", "start");
                main = String(root, "main");
                dependencies = root.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Object && deps.EnumerateObject().Any();
            }
        }
        catch (JsonException)
        {
            // A package.json that is not JSON still says this is a Node project; the command falls back below.
        }

        // npm runs "start" with node_modules/.bin on PATH; hoist serve runs the command with bash as it is written.
        var command = start ?? (main is not null ? "node " + main : new[] { "server.js", "index.js", "app.js" }.Where(files.Has).Select(f => "node " + f).FirstOrDefault());
        if (command is null)
        {
            return null;
        }

        var install = !dependencies ? null : files.Has("package-lock.json") ? "npm ci --omit=dev" : "npm install --omit=dev";
        var entry = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(w => w.EndsWith(".js", StringComparison.Ordinal));
        return new DetectedProject(ProjectKind.Node, start is not null ? "package.json's start script" : "package.json", HealthRoute.In(entry is null ? null : files.Read(entry.TrimStart('.', '/'))),
            install is null ? ["nodejs"] : ["nodejs", "npm"])
        {
            Command = command,
            Build = install is null ? [] : [install],
        };
    }

    private static string? String(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value ? value : null;
    }
}
