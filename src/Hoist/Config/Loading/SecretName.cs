namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>One name listed under <c>secrets:</c>, kept with its node so a missing value is reported there.</summary>
internal sealed record SecretName(string Name, YamlNode Node, string Path);
