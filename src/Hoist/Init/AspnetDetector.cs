namespace Hoist.Init;

using System.Text.RegularExpressions;

/// <summary>
/// An ASP.NET Core app: a *.csproj (the web SDK's first, at the top or one folder down). It is published here,
/// self-contained for linux-x64 (the hosts need no .NET), and that folder uploaded, as examples/aspnet is deployed.
/// </summary>
internal static partial class AspnetDetector
{
    /// <summary>Under bin/, .NET's own output folder (ignored by git, never an item of the build), and emptied before each publish.</summary>
    public const string PublishFolder = "bin/hoist-publish";

    public static DetectedProject? Detect(ProjectFiles files)
    {
        var projects = files.Paths.Where(p => p.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        var project = projects.FirstOrDefault(p => files.Read(p)?.Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal) == true) ?? projects.FirstOrDefault();
        if (project is null)
        {
            return null;
        }

        var text = files.Read(project) ?? "";
        var assembly = AssemblyName().Match(text) is { Success: true } m ? m.Groups[1].Value : Path.GetFileNameWithoutExtension(project);
        var program = Path.GetDirectoryName(project) is { Length: > 0 } dir ? dir + "/Program.cs" : "Program.cs";
        return new DetectedProject(ProjectKind.Aspnet, project, HealthRoute.In(files.Read(program)), [])
        {
            // Quoted for bash as hoist runs local_build; a project path of letters, digits and ./_- needs none. The
            // folder is emptied first: dotnet publish only adds, so a file removed from the project would ship for ever.
            LocalBuild = [$"rm -rf {PublishFolder}", $"dotnet publish {Hoist.Shell.ShellQuote.Quote(project)} -c Release -r linux-x64 --self-contained -o {PublishFolder} --nologo"],
            Upload = "./" + PublishFolder,
            Command = "./" + Hoist.Shell.ShellQuote.Quote(assembly),
        };
    }

    [GeneratedRegex("<AssemblyName>\\s*([^<\\s]+)\\s*</AssemblyName>")]
    private static partial Regex AssemblyName();
}
