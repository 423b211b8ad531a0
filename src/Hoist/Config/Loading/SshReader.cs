namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>ssh:</c>; every setting has a default, so a bad one is reported and the default used.</summary>
internal static class SshReader
{
    public const int DefaultPort = 22;
    public const int DefaultConnectTimeoutSeconds = 10;

    /// <summary>Ten minutes: past any real handshake, and far below what SSH.NET takes (int milliseconds).</summary>
    public const int MaxConnectTimeoutSeconds = 600;
    public const string DefaultKnownHosts = "~/.ssh/known_hosts";

    private static readonly string[] Keys = ["user", "port", "key", "known_hosts", "forward_agent", "connect_timeout", "keepalive_interval", "keepalive_count", "kex_algorithms"];

    public static SshConfig Read(LoadContext context, YamlNode? node)
    {
        var reader = context.Reader;
        var map = node is null ? null : reader.Mapping(node, "ssh", "a mapping such as { user: deploy, port: 22 }", Keys);
        var user = DefaultUser(context.Environment);
        var port = DefaultPort;
        string? key = null;
        var knownHosts = context.Paths.Resolve(DefaultKnownHosts, out var knownHostsError);
        var forwardAgent = false;
        var timeout = DefaultConnectTimeoutSeconds;
        var keepAliveInterval = SshConfig.DefaultKeepAliveInterval;
        var keepAliveCount = SshConfig.DefaultKeepAliveCount;
        IReadOnlyList<string>? kex = null;
        if (map is not null)
        {
            user = ReadUser(reader, Nodes.Optional(map, "user")) ?? user;
            port = Value(Nodes.Optional(map, "port"), n => reader.Integer(n, "ssh.port", 1, 65535)) ?? port;
            forwardAgent = ReadForwardAgent(reader, Nodes.Optional(map, "forward_agent"));
            timeout = Value(Nodes.Optional(map, "connect_timeout"), n => reader.Integer(n, "ssh.connect_timeout", 1, MaxConnectTimeoutSeconds)) ?? timeout;
            keepAliveInterval = Value(Nodes.Optional(map, "keepalive_interval"), n => reader.Integer(n, "ssh.keepalive_interval", 0, 3600)) ?? keepAliveInterval;
            keepAliveCount = Value(Nodes.Optional(map, "keepalive_count"), n => reader.Integer(n, "ssh.keepalive_count", 1, 1000)) ?? keepAliveCount;
            kex = ReadKex(reader, Nodes.Optional(map, "kex_algorithms"));
            key = ReadPath(context, Nodes.Optional(map, "key"), "ssh.key");
            if (Nodes.Optional(map, "known_hosts") is { } knownHostsNode)
            {
                knownHosts = ReadPath(context, knownHostsNode, "ssh.known_hosts") ?? "";
                knownHostsError = "";
            }
        }

        if (knownHosts is null)
        {
            reader.Error(node ?? context.Root, "ssh.known_hosts", $"{knownHostsError}, or set ssh.known_hosts");
        }

        return new SshConfig(user, port, key, knownHosts ?? "", forwardAgent, TimeSpan.FromSeconds(timeout), keepAliveInterval, keepAliveCount, kex);
    }

    /// <summary>The user running Hoist, as hosts usually share it; root when the environment does not say.</summary>
    public static string DefaultUser(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("USER", out var user) && user.Length > 0 ? user : "root";

    private static T? Value<T>(YamlNode? node, Func<YamlNode, T?> read)
        where T : struct => node is null ? null : read(node);

    /// <summary>
    /// Only false is accepted: SSH.NET never hands Hoist the auth-agent@openssh.com channels a host opens,
    /// so forwarding cannot work and saying so beats a clone that fails on the host later. <c>fetch: local</c> is the
    /// answer for a private repository: the user's keys never leave this machine.
    /// </summary>
    private static bool ReadForwardAgent(NodeReader reader, YamlNode? node)
    {
        if (node is not null && reader.Boolean(node, "ssh.forward_agent") == true)
        {
            reader.Error(node, "ssh.forward_agent",
                "agent forwarding is not supported (the SSH library Hoist uses cannot forward an agent); " +
                "for a private repository, remove it and add 'fetch: local': this machine fetches repo with your keys " +
                "and sends the commit to each host, which needs no access to the repository (or install a deploy key on each host)");
        }

        return false;
    }

    /// <summary>ssh.kex_algorithms: names SSH.NET implements, each once, at least one; null (the default order) when absent or wrong.</summary>
    private static IReadOnlyList<string>? ReadKex(NodeReader reader, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var names = new List<string>();
        var good = true;
        foreach (var (item, path) in reader.Items(node, "ssh.kex_algorithms", "a list of key exchange names such as [sntrup761x25519-sha512@openssh.com, curve25519-sha256]"))
        {
            if (reader.Text(item, path, "a key exchange name") is not { } text)
            {
                good = false;
            }
            else if (!KexAlgorithms.Supported.Contains(text.Value, StringComparer.Ordinal))
            {
                var near = KeySuggestion.Closest(text.Value, KexAlgorithms.Supported);
                reader.Error(item, path, $"{text.Quoted} is not a key exchange Hoist knows; " +
                    (near is null ? $"known: {string.Join(", ", KexAlgorithms.Supported)}" : $"did you mean '{near}'?"));
                good = false;
            }
            else if (names.Contains(text.Value, StringComparer.Ordinal))
            {
                reader.Error(item, path, $"{text.Quoted} is listed twice; list each key exchange once, the preferred first");
                good = false;
            }
            else
            {
                names.Add(text.Value);
            }
        }

        if (good && names.Count == 0 && node is not YamlMappingNode)
        {
            reader.Error(node, "ssh.kex_algorithms", $"no key exchange listed; remove the key for the default order ({string.Join(", ", KexAlgorithms.Default)})");
        }

        return good && names.Count > 0 ? names : null;
    }

    private static string? ReadUser(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "ssh.user", "a user name");
        if (text is not null && !HostParser.IsUserName(text.Value))
        {
            reader.Error(node!, "ssh.user", $"{text.Quoted} is not a valid user name");
            return null;
        }

        return text?.Value;
    }

    private static string? ReadPath(LoadContext context, YamlNode? node, string path)
    {
        var text = node is null ? null : context.Reader.Text(node, path, "a file path");
        if (text is null)
        {
            return null;
        }

        var full = context.Paths.Resolve(text.Value, out var error);
        if (full is null)
        {
            context.Reader.Error(node!, path, error);
        }

        return full;
    }
}
