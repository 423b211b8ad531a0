namespace Hoist.Config.Loading;

/// <summary>Builds the config paths errors print: <c>ssh.port</c>, <c>hosts.web[0]</c>, <c>env.SECRET_KEY</c>.</summary>
internal static class NodePath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
