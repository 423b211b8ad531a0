namespace Hoist.Config.Loading;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>Parses config text into the root of its one YAML document, or the error that stops it.</summary>
internal static class YamlDocument
{
    /// <param name="allowEmpty">A document of comments only is an empty mapping (a destination's overlay that changes nothing).</param>
    public static YamlNode? Parse(string text, string displayPath, out ConfigError? error, bool allowEmpty = false)
    {
        error = null;
        var stream = new YamlStream();
        var parser = new LimitedParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlLimitException e)
        {
            error = new ConfigError(displayPath, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), "", e.Reason);
            return null;
        }
        catch (YamlException e)
        {
            error = YamlErrors.FromException(displayPath, e);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these, without a position, on some malformed input.
            error = YamlErrors.FromParserState(displayPath, parser);
            return null;
        }

        if (stream.Documents.Count == 0 && allowEmpty)
        {
            return new YamlMappingNode();
        }

        if (stream.Documents.Count == 0)
        {
            error = new ConfigError(displayPath, 1, 1, "", "the file is empty; start from examples/hoist.example.yml");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            error = new ConfigError(
                displayPath, (int)second.Start.Line, (int)second.Start.Column, "", "only one YAML document is allowed; remove the second '---'");
            return null;
        }

        return stream.Documents[0].RootNode;
    }
}
