namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>deploy:</c>, the health gate of the switch and its batches; every setting has a default.</summary>
internal static class DeployReader
{
    /// <summary>One hour: a gate longer than that is a hung deploy holding the lock.</summary>
    public const int MaxHealthTimeoutSeconds = 3600;

    private static readonly string[] Keys = ["health_url", "health_timeout", "batch", "canary"];

    public static DeployConfig Read(NodeReader reader, YamlNode? node)
    {
        var map = node is null ? null : reader.Mapping(node, "deploy", "a mapping such as { health_url: /up, health_timeout: 60 }", Keys);
        if (map is null)
        {
            return DeployConfig.Default;
        }

        var timeout = Nodes.Optional(map, "health_timeout") is { } timeoutNode
            ? reader.Integer(timeoutNode, "deploy.health_timeout", 1, MaxHealthTimeoutSeconds) ?? DeployConfig.DefaultHealthTimeoutSeconds
            : DeployConfig.DefaultHealthTimeoutSeconds;
        return new DeployConfig(ReadHealthUrl(reader, Nodes.Optional(map, "health_url")), timeout, ReadBatch(reader, Nodes.Optional(map, "batch")),
            Nodes.Optional(map, "canary") is { } canary ? reader.Integer(canary, "deploy.canary", 0, 1) ?? 0 : 0);
    }

    private static BatchSize? ReadBatch(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "deploy.batch", BatchSize.Expected);
        if (text is null)
        {
            return null;
        }

        var batch = BatchSize.Parse(text.Value, out var error);
        if (error is not null)
        {
            reader.Error(node!, "deploy.batch", error);
        }

        return batch;
    }

    /// <summary>A path only: it is asked of nginx on each host itself, so a full URL would name one host for all.</summary>
    private static string? ReadHealthUrl(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "deploy.health_url", "a path such as /up");
        if (text is null || text.Value.Length == 0)
        {
            return null;
        }

        if (!text.Value.StartsWith('/') || text.Value.Any(c => c <= ' ' || c == 0x7f))
        {
            reader.Error(node!, "deploy.health_url", $"{text.Quoted} must be a path starting with '/' and without spaces or control characters, such as /up " +
                "(it is asked of nginx on each host)");
            return null;
        }

        return text.Value;
    }
}
