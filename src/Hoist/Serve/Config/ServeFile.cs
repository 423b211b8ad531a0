namespace Hoist.Serve.Config;

using Hoist.Config;

/// <summary>Reads a serve config file's text, or says why it cannot.</summary>
internal static class ServeFile
{
    public static string? Read(string displayPath, string fullPath, out ConfigError? error)
    {
        error = null;
        if (!File.Exists(fullPath))
        {
            var folder = Path.GetDirectoryName(fullPath) ?? fullPath;
            error = new ConfigError(displayPath, 0, 0, "", $"'{Path.GetFileName(fullPath)}' not found in {folder}");
            return null;
        }

        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new ConfigError(displayPath, 0, 0, "", $"cannot read the file: {e.Message}");
            return null;
        }
    }
}
