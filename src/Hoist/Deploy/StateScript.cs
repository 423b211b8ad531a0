namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>Lines that report a host's release layout: the current release, the complete releases, history (and a left draft of it), the lock.</summary>
internal static class StateScript
{
    public const string BadMark = ".hoist-bad";

    /// <summary>The state alone, after the host's .env values (a lock holder's text or a revision may show one).</summary>
    public static Script Query(HoistConfig config) =>
        Report(HostSecrets.Report(new ScriptBuilder("state").Line(DeployPaths.AssignRoot(config.DeployTo)), config)).Build();

    public static ScriptBuilder Report(ScriptBuilder script) => script
        // basename and head as the shell's own expansions and read: two processes per release were most of this.
        .Raw($"if [ -L {DeployPaths.Current} ]; then l=$(readlink {DeployPaths.Current}); l=${{l%/}}; {HostState.CurrentKey.EchoText("${l##*/}")}; fi")
        .Raw($"for r in {DeployPaths.Releases}/*/; do")
        .Raw("  if [ -f \"$r\"REVISION ]; then")
        .Raw($"    if [ -e \"$r\"{BadMark} ]; then b=bad; else b=ok; fi")
        // At most 256 characters of it: a revision is a commit id or an upload's hash, not a file to send back whole.
        .Raw("    n=${r%/}; rev=; IFS= read -r -n 256 rev < \"$r\"REVISION || true")
        .Raw("    " + HostState.ReleaseKey.EchoText("${n##*/} $b $rev"))
        .Raw("  fi")
        .Raw("done")
        .Raw($"if [ -f {DeployPaths.History} ]; then {HostState.HistoryKey.EchoText($"$(tail -n 50 {DeployPaths.History} | tr '\\n' ' ')")}; fi")
        // A switch's history draft, left only by a run killed between its switch and its commit or revert.
        .Raw($"if [ -f {DeployPaths.History}.new ]; then {HostState.DraftKey.EchoText($"$(tail -n 1 {DeployPaths.History}.new)")}; fi")
        .Raw($"if [ -d {DeployPaths.Lock} ]; then {HostState.LockKey.EchoText(LockScript.HolderValue)}; fi");
}
