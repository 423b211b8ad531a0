namespace Hoist.Serve.Files;

using System.Globalization;

/// <summary>A uid as people read it in an error: <c>bob (uid 1001)</c>, from /etc/passwd.</summary>
internal static class UserNames
{
    public static string Describe(uint uid)
    {
        var text = uid.ToString(CultureInfo.InvariantCulture);
        try
        {
            var name = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == text)?[0];
            return name is null ? $"uid {text}" : $"{name} (uid {text})";
        }
        catch (IOException)
        {
            return $"uid {text}";
        }
    }
}
