D="$HOME"/'apps/my app'
problems=0
for t in bash tar; do if ! command -v "$t" >/dev/null 2>&1; then echo "$t is not installed"; problems=1; fi; done
if ! command -v git >/dev/null 2>&1; then echo 'git is not installed; install it (Debian: apt-get install git)'; problems=1; fi
owned_up() {
  local q="$1"
  while [ "$q" != / ] && [ "${q%/}" != "$q" ]; do q=${q%/}; done
  case $q in
    */*) q=${q%/*}; while [ "$q" != / ] && [ "${q%/}" != "$q" ]; do q=${q%/}; done; up=${q:-/} ;;
    *) up=. ;;
  esac
}
owned_walk() {
  local p="$1" first=1 info uid user mode kind bad=0 up paths=() lines=() i
  while :; do paths+=("$p"); case $p in / | .) break ;; esac; owned_up "$p"; p=$up; done
  if info=$(stat -c '%u %U %a %F' -- "${paths[@]}" 2>/dev/null); then
    mapfile -t lines <<<"$info"
  else
    for p in "${paths[@]}"; do
      if ! info=$(stat -c '%u %U %a %F' -- "$p" 2>&1); then printf 'cannot look at %s (deploy_to %s): %s\n' "$p" "$D" "$info"; return 1; fi
    done
    printf 'cannot look at the folders of deploy_to %s\n' "$D"; return 1
  fi
  for i in "${!paths[@]}"; do
    p=${paths[$i]}
    read -r uid user mode kind <<<"${lines[$i]}"
    local why=
    if [ "$uid" != 0 ] && [ "$uid" != "$me" ]; then why="owned by $user (uid $uid), not by $who"
    elif [ "$kind" != 'symbolic link' ] && (( 8#$mode & 8#022 )) && { [ "$first" = 1 ] || ! (( 8#$mode & 8#1000 )); }; then
      why="writable by its group or others"
    fi
    if [ -n "$why" ]; then
      case $kind in directory) kind='a folder' ;; 'symbolic link') kind='a symbolic link' ;; *) kind="a $kind" ;; esac
      printf '%s is %s with mode %04o, %s: another user could replace what hoist deploys (deploy_to %s). Fix it on the host as root: chown %s %q && chmod go-w %q, or set deploy_to to a folder of your own\n' "$p" "$kind" "$((8#$mode))" "$why" "$D" "$(id -un)" "$p" "$p"
      bad=1
    fi
    first=0
  done
  return "$bad"
}
deploy_to_owned() {
  local me=$EUID who p bad=0 up; who=$(id -un); p="$D"
  [ "$me" = 0 ] || who="$who or root"
  while [ ! -e "$p" ] && [ ! -L "$p" ]; do owned_up "$p"; p=$up; done
  owned_walk "$p" || bad=1
  local real; if real=$(readlink -f -- "$p" && echo .); then real=${real%$'\n.'}; else real=$p; fi
  if [ "$bad" = 0 ] && [ "$real" != "$p" ]; then owned_walk "$real" || bad=1; fi
  return "$bad"
}
owned=1; if ! deploy_to_owned; then problems=1; owned=0; fi
if [ "$owned" = 1 ] && ! { mkdir -p "$D"/.hoist && touch "$D"/.hoist/.check && rm -f "$D"/.hoist/.check; } 2>/dev/null; then
  echo "$D is not writable by $(id -un)"; problems=1
fi
G=/srv/git/app.git; export GIT_ALLOW_PROTOCOL=ssh:https:http:git:file
if command -v git >/dev/null 2>&1 && ! git_error=$(git ls-remote --exit-code -- "$G" main 2>&1 >/dev/null); then
  echo 'cannot read branch '\''main'\'' of /srv/git/app.git from this host'"${git_error:+: $git_error}"; problems=1
fi
exit "$problems"