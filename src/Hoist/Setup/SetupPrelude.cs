namespace Hoist.Setup;

/// <summary>
/// The shell functions every setup script starts with. Each item reports one marker line, <c>item=STATUS NAME</c>
/// (ok, changed, or would-change under --dry-run), and returns 0 when it changed (or would) something, 1 when not,
/// so that what depends on it (a reload) runs only then. File contents arrive as function arguments: a function is
/// not a new process, so no content, secret or not, is ever in any process's argument list.
/// </summary>
internal static class SetupPrelude
{
    public static readonly string Text = SetupReport.ItemFunction + "\n" + Functions + "\n" + EnvLines.Functions;

    private const string Functions = """
        fail() { echo "$1" >&2; exit 1; }
        # Items run on the left of || (their status says whether they changed anything), where bash ignores
        # set -e: every step that must not fail says so itself.
        # no_link PATH: a path root writes must not be a symlink (someone could point it at /etc).
        no_link() { if [ -L "$1" ]; then fail "$1 is a symbolic link; hoist setup writes there as root and will not follow it: remove it"; fi; }
        # same_file PATH CONTENT MODE OWNER GROUP: true when the file is exactly that (contents, mode, owners).
        same_file() {
          [ -f "$1" ] && [ ! -L "$1" ] && [ "$(cat -- "$1"; printf x)" = "$2"x ] && [ "$(stat -c '%a %U %G' -- "$1")" = "$3 $4 $5" ]
        }
        # show_change PATH CONTENT SECRET: under --dry-run, what would change in a file (never a secret's text).
        show_change() {
          if [ "$3" = 1 ]; then
            echo "would write $1 (not shown: it holds passwords)"
          elif [ -f "$1" ]; then
            diff -u --label "$1" --label "$1 (new)" -- "$1" <(printf '%s' "$2") || true
          else
            echo "would create $1:"; printf '%s' "$2" | sed 's/^/+ /'
          fi
        }
        # put_file NAME PATH MODE OWNER GROUP CONTENT SECRET: the file made exactly so, written atomically.
        put_file() {
          no_link "$2"
          if same_file "$2" "$6" "$3" "$4" "$5"; then item "$1" ok; return 1; fi
          if [ "$DRY" = 1 ]; then show_change "$2" "$6" "$7"; item "$1" would-change; return 0; fi
          local tmp; tmp=$(mktemp "$(dirname -- "$2")/.hoist.XXXXXX") || fail "cannot write in $(dirname -- "$2")"
          { printf '%s' "$6" >"$tmp" && chmod "$3" "$tmp" && chown "$4:$5" "$tmp" && mv -f -- "$tmp" "$2"; } || { rm -f -- "$tmp"; fail "cannot write $2"; }
          item "$1" changed; return 0
        }
        # put_dir NAME PATH MODE OWNER GROUP: the folder exists with that mode and owners (a setgid bit only if MODE has it).
        put_dir() {
          no_link "$2"
          if [ -d "$2" ] && [ "$(stat -c '%a %U %G' -- "$2")" = "$3 $4 $5" ]; then item "$1" ok; return 1; fi
          if [ "$DRY" = 1 ]; then echo "would make $2 ($3 $4:$5)"; item "$1" would-change; return 0; fi
          { mkdir -p -- "$2" && chown -h "$4:$5" "$2" && chmod g-s "$2" && chmod "$3" "$2"; } || fail "cannot make $2 ($3 $4:$5)"
          item "$1" changed; return 0
        }
        # packages NAME...: installed with apt, only those dpkg-query says are missing.
        packages() {
          local need=() p
          for p in "$@"; do
            dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
          done
          if [ ${#need[@]} -eq 0 ]; then item "packages ($*)" ok; return 1; fi
          if [ "$DRY" = 1 ]; then echo "would install: ${need[*]}"; item "packages (${need[*]})" would-change; return 0; fi
          command -v apt-get >/dev/null || fail "missing packages ${need[*]}, and this host has no apt-get to install them"
          echo "installing ${need[*]}"
          apt-get update -qq </dev/null || fail "apt-get update failed"
          DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" </dev/null >/dev/null \
            || fail "apt-get install ${need[*]} failed"
          item "packages (${need[*]})" changed; return 0
        }
        """;
}
