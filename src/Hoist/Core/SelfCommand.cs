namespace Hoist.Core;

/// <summary>How to run this very hoist again (for HOIST_BIN, and for hoist serve --daemon).</summary>
internal static class SelfCommand
{
    /// <summary>The hoist executable: the app host next to hoist.dll when run as <c>dotnet hoist.dll</c>.</summary>
    public static string Path
    {
        get
        {
            var process = Environment.ProcessPath ?? "hoist";
            if (System.IO.Path.GetFileNameWithoutExtension(process) != "dotnet")
            {
                return process;
            }

            var appHost = System.IO.Path.Combine(AppContext.BaseDirectory, "hoist");
            return File.Exists(appHost) ? appHost : process;
        }
    }
}
