namespace Hoist.Config.Loading;

using YamlDotNet.Core;

/// <summary>A document that parses but goes past a bound hoist sets on its size (nesting, alias expansion).</summary>
internal sealed class YamlLimitException(Mark at, string reason) : YamlException(at, at, reason)
{
    /// <summary>The message without the marks YamlDotNet puts before it.</summary>
    public string Reason { get; } = reason;
}
