namespace Hoist.Serve.Config;

using Hoist.Config;
using Hoist.Config.Loading;

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

        // The same bounds as hoist.yml: a regular file only (a FIFO would block), at most 1 MiB of UTF-8 text.
        return ConfigFile.Read(fullPath, displayPath, out error);
    }
}
