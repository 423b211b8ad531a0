namespace Hoist.Init;

using Hoist.Config;
using Hoist.Core;

/// <summary>The config init is about to write, loaded through the real loader first.</summary>
internal static class InitSelfCheck
{
    /// <summary>
    /// Loads what is about to be written through the real loader, with its placeholders filled in as a user would
    /// (their own errors are tested apart): any error is hoist init's own fault, and nothing is written.
    /// </summary>
    public static void Check(string folder, string config, string staging, IReadOnlyDictionary<string, string> environment)
    {
        static string Filled(string text) => text
            .Replace(InitSettings.WebPlaceholder, "root@192.0.2.10", StringComparison.Ordinal)
            .Replace(InitSettings.StagingWebPlaceholder, "root@192.0.2.20", StringComparison.Ordinal)
            .Replace(InitSettings.StagingDbPlaceholder, "root@192.0.2.21", StringComparison.Ordinal)
            .Replace(InitSettings.RepoPlaceholder, "git@example.com:you/app.git", StringComparison.Ordinal);
        var main = ConfigLoader.LoadText(Filled(config), ConfigLoader.DefaultFileName, folder, environment);
        var merged = ConfigLoader.LoadText(Filled(config), ConfigLoader.DefaultFileName, folder, environment,
            overlay: new ConfigOverlay("staging", Filled(staging), InitRunner.StagingFile, Path.Combine(folder, InitRunner.StagingFile)));
        var wrong = main.Errors.Concat(merged.Errors).Select(e => e.ToString()).Distinct().ToList();
        if (wrong.Count > 0)
        {
            throw HoistException.Usage("nothing was written: the config hoist init would write does not load (check the options given; otherwise it is a bug in hoist init):\n" +
                string.Join('\n', wrong));
        }
    }
}
