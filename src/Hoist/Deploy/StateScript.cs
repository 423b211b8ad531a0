namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>Lines that report a host's release layout: the current release, the complete releases, history, the lock.</summary>
internal static class StateScript
{
    public const string BadMark = ".hoist-bad";

    public static Script Query(string deployTo) =>
        Report(new ScriptBuilder("state").Line(DeployPaths.AssignRoot(deployTo))).Build();

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
