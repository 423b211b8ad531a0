namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>Lines that report a host's release layout: the current release, the complete releases, history, the lock.</summary>
internal static class StateScript
{
    public const string BadMark = ".hoist-bad";

    /// <summary>The state alone, after the host's .env values (a lock holder's text or a revision may show one).</summary>
    public static Script Query(HoistConfig config) =>
        Report(HostSecrets.Report(new ScriptBuilder("state").Line(DeployPaths.AssignRoot(config.DeployTo)), config)).Build();

    public static ScriptBuilder Report(ScriptBuilder script) => script
        .Raw($"if [ -L {DeployPaths.Current} ]; then echo \"{Marker.Prefix}current=$(basename \"$(readlink {DeployPaths.Current})\")\"; fi")
        .Raw($"for r in {DeployPaths.Releases}/*/; do")
        .Raw("  if [ -f \"$r\"REVISION ]; then")
        .Raw($"    if [ -e \"$r\"{BadMark} ]; then b=bad; else b=ok; fi")
        .Raw($"    echo \"{Marker.Prefix}release=$(basename \"$r\") $b $(head -n 1 \"$r\"REVISION)\"")
        .Raw("  fi")
        .Raw("done")
        .Raw($"if [ -f {DeployPaths.History} ]; then echo \"{Marker.Prefix}history=$(tail -n 50 {DeployPaths.History} | tr '\\n' ' ')\"; fi")
        .Raw($"if [ -d {DeployPaths.Lock} ]; then echo \"{Marker.Prefix}lock={LockScript.HolderValue}\"; fi");
}
