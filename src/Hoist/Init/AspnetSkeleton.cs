namespace Hoist.Init;

/// <summary>
/// A minimal ASP.NET Core app: one project, published self-contained for linux-x64 and uploaded. Kestrel listens
/// where hoist serve's ASPNETCORE_URLS says, with no code for it.
/// </summary>
internal static class AspnetSkeleton
{
    /// <summary>The project's name, and so its executable's: the app name as a .NET identifier-ish word.</summary>
    public static string Project(string app) => app.Replace('-', '_');

    public static IReadOnlyList<SkeletonFile> Files(string app)
    {
        var project = Project(app);
        return
        [
            new($"{project}.csproj", """
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <!-- The hosts need no ICU library (a bare Debian has none). -->
                    <InvariantGlobalization>true</InvariantGlobalization>
                  </PropertyGroup>
                </Project>

                """),
            new("Program.cs", $$"""
                // {{app}}: a small ASP.NET Core app written by `hoist init`. hoist serve starts each worker with
                // ASPNETCORE_URLS set, which Kestrel listens on.
                var app = WebApplication.CreateBuilder(args).Build();

                // The health check: hoist serve sends a worker traffic only once this answers 200.
                app.MapGet("/up", () => "ok\n");
                app.MapGet("/", () => "Hello from {{app}}\n");

                app.Run();

                """),
        ];
    }
}
