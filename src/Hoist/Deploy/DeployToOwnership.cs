namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>
/// The host-side check that no other Unix user can change what deploy_to holds, run before anything is written there
/// (by prepare, and by hoist check): deploy_to, or its nearest existing parent while it does not exist yet, and each
/// folder above it must be owned by root or the login user and not writable by group or others; a parent may be
/// writable only when it is sticky (as /tmp is), since its other users then cannot rename or remove what is ours.
/// This is the rule OpenSSH's StrictModes and sudo apply. Both the path as written and the path with its links
/// resolved are walked: a link's owner matters too, and so does every folder of where it leads.
/// </summary>
internal static class DeployToOwnership
{
    private const string Function = "deploy_to_owned";

    /// <summary>Defines the check as a function that prints each problem (with the fix) and fails if there is one.</summary>
    public static ScriptBuilder Define(ScriptBuilder script) => script
        // dirname's answer without a process: the walk runs on every deploy, and 17 processes for a path 9 folders
        // deep were a fifth of what a no-op deploy cost a host.
        .Raw("owned_up() {")
        .Raw("  local q=\"$1\"")
        .Raw("  while [ \"$q\" != / ] && [ \"${q%/}\" != \"$q\" ]; do q=${q%/}; done")
        .Raw("  case $q in")
        .Raw("    */*) q=${q%/*}; while [ \"$q\" != / ] && [ \"${q%/}\" != \"$q\" ]; do q=${q%/}; done; up=${q:-/} ;;")
        .Raw("    *) up=. ;;")
        .Raw("  esac")
        .Raw("}")
        .Raw("owned_walk() {")
        .Raw("  local p=\"$1\" first=1 info uid user mode kind bad=0 up paths=() lines=() i")
        .Raw("  while :; do paths+=(\"$p\"); case $p in / | .) break ;; esac; owned_up \"$p\"; p=$up; done")
        // One stat for the whole walk; only when it fails is each folder looked at alone, to name the one it cannot.
        .Raw("  if info=$(stat -c '%u %U %a %F' -- \"${paths[@]}\" 2>/dev/null); then")
        .Raw("    mapfile -t lines <<<\"$info\"")
        .Raw("  else")
        .Raw("    for p in \"${paths[@]}\"; do")
        .Raw("      if ! info=$(stat -c '%u %U %a %F' -- \"$p\" 2>&1); then printf 'cannot look at %s (deploy_to %s): %s\\n' \"$p\" \"$D\" \"$info\"; return 1; fi")
        .Raw("    done")
        .Raw("    printf 'cannot look at the folders of deploy_to %s\\n' \"$D\"; return 1")
        .Raw("  fi")
        .Raw("  for i in \"${!paths[@]}\"; do")
        .Raw("    p=${paths[$i]}")
        .Raw("    read -r uid user mode kind <<<\"${lines[$i]}\"")
        .Raw("    local why=")
        .Raw("    if [ \"$uid\" != 0 ] && [ \"$uid\" != \"$me\" ]; then why=\"owned by $user (uid $uid), not by $who\"")
        .Raw("    elif [ \"$kind\" != 'symbolic link' ] && (( 8#$mode & 8#022 )) && { [ \"$first\" = 1 ] || ! (( 8#$mode & 8#1000 )); }; then")
        .Raw("      why=\"writable by its group or others\"")
        .Raw("    fi")
        .Raw("    if [ -n \"$why\" ]; then")
        .Raw("      case $kind in directory) kind='a folder' ;; 'symbolic link') kind='a symbolic link' ;; *) kind=\"a $kind\" ;; esac")
        .Raw("      printf '%s is %s with mode %04o, %s: another user could replace what hoist deploys (deploy_to %s). " +
             "Fix it on the host as root: chown %s %q && chmod go-w %q, or set deploy_to to a folder of your own\\n' " +
             "\"$p\" \"$kind\" \"$((8#$mode))\" \"$why\" \"$D\" \"$(id -un)\" \"$p\" \"$p\"")
        .Raw("      bad=1")
        .Raw("    fi")
        .Raw("    first=0")
        .Raw("  done")
        .Raw("  return \"$bad\"")
        .Raw("}")
        .Raw(Function + "() {")
        .Raw("  local me=$EUID who p bad=0 up; who=$(id -un); p=\"$D\"")
        .Raw("  [ \"$me\" = 0 ] || who=\"$who or root\"")
        .Raw("  while [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; do owned_up \"$p\"; p=$up; done")
        .Raw("  owned_walk \"$p\" || bad=1")
        // The '.' keeps a newline that ends the real path's last name, which $(...) would drop: the walk would then
        // look at a look-alike folder (root's "t") and deploy into the other user's "t<newline>".
        .Raw("  local real; if real=$(readlink -f -- \"$p\" && echo .); then real=${real%$'\\n.'}; else real=$p; fi")
        .Raw("  if [ \"$bad\" = 0 ] && [ \"$real\" != \"$p\" ]; then owned_walk \"$real\" || bad=1; fi")
        .Raw("  return \"$bad\"")
        .Raw("}");

    /// <summary>Prepare's first step: stop before the lock (or anything else) is written when deploy_to is not safe.</summary>
    public static ScriptBuilder Require(ScriptBuilder script) =>
        Define(script.Step("check deploy_to")).Raw(Function + " >&2 || exit 1");

    /// <summary>hoist check's line: each problem is listed and counted, as the check's others are.</summary>
    /// <remarks>Sets <c>owned</c> to 0 on a problem, so that the check writes nothing there (its writable test does).</remarks>
    public static ScriptBuilder Report(ScriptBuilder script) =>
        Define(script).Raw($"owned=1; if ! {Function}; then problems=1; owned=0; fi");
}
