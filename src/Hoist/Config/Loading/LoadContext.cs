namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>What every section reader needs: where errors go, how local paths resolve, the environment, the root node.</summary>
internal sealed record LoadContext(
    NodeReader Reader, LocalPaths Paths, IReadOnlyDictionary<string, string> Environment, YamlNode Root);
