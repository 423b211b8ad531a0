namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>setup.nginx</c>. Values are checked for what would change nginx's config (';', braces, quotes); whether
/// nginx likes a value is left to <c>nginx -t</c> on the host.
/// </summary>
internal static partial class NginxSetupReader
{
    public const string DefaultBodySize = "10m";

    /// <summary>How long nginx waits for the app between two reads (and two writes): a WebSocket's quiet spells.</summary>
    public const string DefaultReadTimeout = "1h";

    private static readonly string[] Keys = ["server_name", "listen", "locations", "client_max_body_size", "read_timeout", "remove_default_site"];

    public static NginxSetup? Read(NodeReader reader, YamlNode? node, IReadOnlyList<string> shared)
    {
        var map = node is null ? null : reader.Mapping(node, "setup.nginx", "a mapping such as { server_name: example.com }", Keys);
        var serverName = map is not null && Nodes.Optional(map, "server_name") is { } nameNode ? NginxWords(reader, nameNode, "setup.nginx.server_name") : "_";
        var listen = map is not null && Nodes.Optional(map, "listen") is { } listenNode ? reader.Integer(listenNode, "setup.nginx.listen", 1, 65535) : 80;
        var bodySize = DefaultBodySize;
        if (map is not null && Nodes.Optional(map, "client_max_body_size") is { } sizeNode)
        {
            var text = reader.Text(sizeNode, "setup.nginx.client_max_body_size", "a size such as 10m");
            bodySize = text is not null && Size().IsMatch(text.Value) ? text.Value : null;
            if (text is not null && bodySize is null)
            {
                reader.Error(sizeNode, "setup.nginx.client_max_body_size", $"{text.Quoted} is not a size; write a number with k, m or g, such as 10m");
            }
        }

        var readTimeout = DefaultReadTimeout;
        if (map is not null && Nodes.Optional(map, "read_timeout") is { } timeoutNode)
        {
            var text = reader.Text(timeoutNode, "setup.nginx.read_timeout", "a time such as 1h");
            readTimeout = text is not null && Time().IsMatch(text.Value) ? text.Value : null;
            if (text is not null && readTimeout is null)
            {
                reader.Error(timeoutNode, "setup.nginx.read_timeout", $"{text.Quoted} is not a time; write a number with s, m, h or d, such as 1h (a WebSocket quiet for longer is closed by nginx)");
            }
        }

        var removeDefault = map is not null && Nodes.Optional(map, "remove_default_site") is { } removeNode ? reader.Boolean(removeNode, "setup.nginx.remove_default_site") : true;
        var locations = ReadLocations(reader, map is null ? null : Nodes.Optional(map, "locations"), shared);
        return serverName is null || listen is null || bodySize is null || readTimeout is null || removeDefault is null || locations is null
            ? null
            : new NginxSetup(serverName, listen.Value, locations, bodySize, removeDefault.Value) { ReadTimeout = readTimeout };
    }

    /// <summary>URL prefix to folder; by default /static/ from the release and, when media is shared, /media/ from shared/.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>>? ReadLocations(NodeReader reader, YamlNode? node, IReadOnlyList<string> shared)
    {
        if (node is null)
        {
            List<KeyValuePair<string, string>> defaults = [new("/static/", "current/static")];
            if (shared.Contains("media"))
            {
                defaults.Add(new("/media/", "shared/media"));
            }

            return defaults;
        }

        var map = reader.Mapping(node, "setup.nginx.locations", "a mapping of URL prefix to folder, such as { /static/: current/static }", keys: null);
        if (map is null)
        {
            return null;
        }

        var result = new List<KeyValuePair<string, string>>();
        var ok = true;
        foreach (var (prefix, key, value) in Nodes.Entries(map))
        {
            var path = NodePath.Child("setup.nginx.locations", prefix);
            if (!UrlPrefix().IsMatch(prefix))
            {
                reader.Error(key, path, $"'{prefix}' is not a URL prefix; write it as /static/ (starting and ending with '/')");
                ok = false;
                continue;
            }

            var folder = reader.Text(value, path, "a folder");
            if (folder is null || !SetupReader.SafePath().IsMatch(folder.Value) || folder.Value.Split('/').Contains(".."))
            {
                if (folder is not null)
                {
                    reader.Error(value, path, $"{folder.Quoted} is not a plain folder path (no spaces, quotes, ';', braces or '..')");
                }

                ok = false;
                continue;
            }

            result.Add(new(prefix, folder.Value));
        }

        return ok ? result : null;
    }

    /// <param name="at">Where an error about a default name points (the database section, or setup:).</param>
    private static string? NginxWords(NodeReader reader, YamlNode node, string path)
    {
        var text = reader.Text(node, path, "one or more names separated by spaces");
        if (text is not null && !NginxWordList().IsMatch(text.Value))
        {
            reader.Error(node, path, $"{text.Quoted} can only hold host names separated by spaces (letters, digits, '.', '-', '_', '*', '~'); ';', braces and quotes would change nginx's config");
            return null;
        }

        return text?.Value;
    }

    [GeneratedRegex("^[A-Za-z0-9.*_~-]+( [A-Za-z0-9.*_~-]+)*\\z")]
    private static partial Regex NginxWordList();

    [GeneratedRegex("^[1-9][0-9]*(s|m|h|d)?\\z")]
    private static partial Regex Time();

    [GeneratedRegex("^[0-9]+[kKmMgG]?\\z")]
    private static partial Regex Size();

    [GeneratedRegex("^/([A-Za-z0-9._~-]+/)*\\z")]
    private static partial Regex UrlPrefix();
}
