namespace Hoist.Config.Loading;

using System.Globalization;
using YamlDotNet.RepresentationModel;

/// <summary>Integers and booleans read from scalars, with errors that name the expected type.</summary>
internal static class TypedReads
{
    public static int? Integer(this NodeReader reader, YamlNode node, string path, int min, int max = int.MaxValue)
    {
        var text = reader.Text(node, path, "an integer");
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            reader.Error(node, path, $"expected an integer, got {text.Quoted}");
            return null;
        }

        if (number < min || number > max)
        {
            reader.Error(node, path, max == int.MaxValue ? $"must be at least {min}, got {number}" : $"must be between {min} and {max}, got {number}");
            return null;
        }

        return number;
    }

    public static bool? Boolean(this NodeReader reader, YamlNode node, string path)
    {
        var text = reader.Text(node, path, "true or false");
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text.Value, out var value))
        {
            return value;
        }

        reader.Error(node, path, $"expected true or false, got {text.Quoted}");
        return null;
    }
}
