f=/tmp/hoist-run.AbCdE12345
U=myappuser
if [ "$(id -u)" = 0 ]; then as_app() { "$@"; }; else as_app() { sudo -n -u "$U" -- "$@"; }; fi
group_of() { local s g; { s=$(< "$1/stat"); } 2>/dev/null || return 0; s=${s##*) }; read -r _ _ g _ <<< "$s"; [ "${g:-0}" -gt 1 ] && echo "$g"; true; }
run_groups() { local p a b g; for p in /proc/[0-9]*; do { IFS= read -r -d '' a && IFS= read -r -d '' b; } < "$p/cmdline" 2>/dev/null || continue; [ "$a" = bash ] && [ "$b" = "$f" ] && group_of "$p"; done; for p in $(as_app grep -lsFxz -e "HOIST_RUN=$f" /proc/[0-9]*/environ 2>/dev/null); do group_of "${p%/environ}"; done; true; }
groups=$(run_groups | sort -un); [ -n "$groups" ] || exit 0
for g in $groups; do as_app kill -TERM -- "-$g" 2>/dev/null || true; done
for i in $(seq 50); do left=; for g in $groups; do as_app kill -0 -- "-$g" 2>/dev/null && left+=" $g"; done; [ -n "$left" ] || exit 0; sleep 0.1; done
for g in $left; do as_app kill -KILL -- "-$g" 2>/dev/null || true; done