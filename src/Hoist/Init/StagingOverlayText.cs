namespace Hoist.Init;

using System.Text;

/// <summary>
/// The hoist.staging.yml <c>hoist init</c> writes beside hoist.yml: what <c>hoist -d staging</c> merges over it,
/// only what differs: staging's own hosts (placeholders until set) and server_name.
/// </summary>
internal static class StagingOverlayText
{
    public static string Render(InitSettings settings, DetectedProject project)
    {
        var y = new StringBuilder();
        void Line(string text = "") => y.Append(text).Append('\n');
        var serverName = settings.ServerName.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && first != "_" ? "staging." + first : "_";

        Line("# hoist.staging.yml, written by `hoist init`: what `hoist -d staging check|setup|deploy` merges over hoist.yml.");
        Line("# Only what differs in staging: mappings merge key by key, a list or value replaces hoist.yml's, `key: ~`");
        Line("# removes one. On production's own hosts staging would also need its own app, deploy_to and serve paths.");
        Line();
        Line("# Staging's hosts; the roles not named here stay as hoist.yml has them.");
        Line("hosts:");
        Line($"  web: [{InitSettings.StagingWebPlaceholder}]");
        if (settings.Db is not null)
        {
            Line($"  db: {InitSettings.StagingDbPlaceholder}");
        }

        if (settings.Lb is not null)
        {
            Line("  lb: ~");
        }

        Line("setup:");
        Line("  nginx:");
        Line($"    server_name: {YamlScalar.Of(serverName)}");
        if (InitConfigText.Env(settings, project) is var env && env.Any(e => e.Name == DjangoSkeleton.AllowedHosts))
        {
            Line("serve:");
            Line("  env:");
            Line($"    {DjangoSkeleton.AllowedHosts}: {YamlScalar.Of(InitConfigText.AllowedHosts(serverName))}");
        }

        return y.ToString();
    }
}
