D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=check deploy_to'
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
deploy_to_owned >&2 || exit 1
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
echo '::hoist-NONCE:: step=lock'
mkdir -p "$D"/.hoist
lock_new="$D"/.hoist/lock.new.$$
rm -rf "$lock_new"
for n in "$D"/.hoist/lock.new.*; do p=${n##*.}; case "$p" in ''|*[!0-9]*) ;; *) [ -d /proc/"$p" ] || rm -rf "$n" ;; esac; done
if ! lock_error=$( {
  mkdir "$lock_new" &&
  printf '%s\n' 'me@box (pid 42) since 2026-01-02T03:04:05Z: deploy' > "$lock_new"/info &&
  printf '%s\n' token123 > "$lock_new"/token &&
  echo $$ > "$lock_new"/pid
} 2>&1 ); then
  rm -rf "$lock_new"; echo "cannot take the deploy lock: $lock_error" >&2; exit 1
fi
mv_error=$(mv -n -T "$lock_new" "$D"/.hoist/lock 2>&1) || true
rm -rf "$lock_new"
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  if [ ! -d "$D"/.hoist/lock ]; then
    if [ -L "$D"/.hoist/lock ]; then lock_why="is a symlink to $(readlink "$D"/.hoist/lock), not a lock folder"
    elif [ -e "$D"/.hoist/lock ]; then lock_why='is a file, not a lock folder'
    else lock_why="could not be made: ${mv_error:-mv gave no reason}"; fi
    echo "cannot take the deploy lock: $D/.hoist/lock $lock_why; Hoist never leaves one: if nothing of yours uses it, remove it (rm $D/.hoist/lock) and try again" >&2; exit 1
  fi
  echo "::hoist-NONCE:: locked=$(h=$(head -c 1000 "$D"/.hoist/lock/info 2>/dev/null | head -n 1 || true); printf '%s' "${h:-an unknown holder (.hoist/lock has no readable info; a deploy that failed while taking the lock may have left it)}")"; exit 75
fi
echo '::hoist-NONCE:: step=clean'
mkdir -p "$D"/releases "$D"/shared
live=$(basename "$(readlink "$D"/current 2>/dev/null)")
for r in "$D"/releases/*/; do
  if [ -d "$r" ] && [ ! -f "$r"REVISION ] && [ "$(basename "$r")" != "$live" ]; then rm -rf "$r"; fi
done
if [ -L "$D"/current ]; then l=$(readlink "$D"/current); l=${l%/}; echo "::hoist-NONCE:: current=${l##*/}"; fi
for r in "$D"/releases/*/; do
  if [ -f "$r"REVISION ]; then
    if [ -e "$r".hoist-bad ]; then b=bad; else b=ok; fi
    n=${r%/}; rev=; IFS= read -r -n 256 rev < "$r"REVISION || true
    echo "::hoist-NONCE:: release=${n##*/} $b $rev"
  fi
done
if [ -f "$D"/.hoist/history ]; then echo "::hoist-NONCE:: history=$(tail -n 50 "$D"/.hoist/history | tr '\n' ' ')"; fi
if [ -f "$D"/.hoist/history.new ]; then echo "::hoist-NONCE:: draft=$(tail -n 1 "$D"/.hoist/history.new)"; fi
if [ -d "$D"/.hoist/lock ]; then echo "::hoist-NONCE:: lock=$(h=$(head -c 1000 "$D"/.hoist/lock/info 2>/dev/null | head -n 1 || true); printf '%s' "${h:-an unknown holder (.hoist/lock has no readable info; a deploy that failed while taking the lock may have left it)}")"; fi
echo '::hoist-NONCE:: step=fetch'
rev=upload-abc
id=20260102030405; n=1
while [ -e "$D"/releases/"$id" ]; do n=$((n+1)); id=20260102030405-$n; done
R="$D"/releases/"$id"
echo "$id" > "$D"/.hoist/lock/release
echo "::hoist-NONCE:: new_release=$id"
echo "::hoist-NONCE:: revision=$rev"
mkdir "$R"
echo "::hoist-NONCE:: payload=wanted"
tar -x -f - -C "$R" --no-same-owner
rm -f "$R"/REVISION "$R"/.hoist-bad
echo '::hoist-NONCE:: step=link shared'
shared_parent() {
  local p="$R"/"$2"
  if [ -L "$p" ]; then
    case "$(readlink -f -- "$p" || true)/" in
      "$(readlink -f -- "$R")"/*) ;;
      *) printf 'shared entry '\''%s'\'': '\''%s'\'' in the release is a symlink to %s (leaves the release); this release is removed and current is unchanged. Make '\''%s'\'' a real folder in the repository, share '\''%s'\'' itself, or remove the entry from shared:\n' "$1" "$2" "$(readlink -- "$p")" "$2" "$2" >&2; exit 1 ;;
    esac
  elif [ -e "$p" ] && [ ! -d "$p" ]; then
    printf 'shared entry '\''%s'\'': '\''%s'\'' in the release is a file, not a folder; this release is removed and current is unchanged. Remove or rename '\''%s'\'' in the repository, or fix the entry in shared:\n' "$1" "$2" "$2" >&2; exit 1
  fi
}
if [ ! -e "$D"/shared/media ]; then mkdir -p "$D"/shared/media; fi
rm -rf "$R"/media; mkdir -p "$(dirname "$R"/media)"; ln -sfn "$D"/shared/media "$R"/media
if [ ! -e "$D"/shared/.env ]; then mkdir -p "$(dirname "$D"/shared/.env)" && (umask 077 && touch "$D"/shared/.env); fi
rm -rf "$R"/.env; mkdir -p "$(dirname "$R"/.env)"; ln -sfn "$D"/shared/.env "$R"/.env
shared_parent config/settings.json config
if [ ! -e "$D"/shared/config/settings.json ]; then mkdir -p "$(dirname "$D"/shared/config/settings.json)" && (umask 077 && touch "$D"/shared/config/settings.json); fi
rm -rf "$R"/config/settings.json; mkdir -p "$(dirname "$R"/config/settings.json)"; ln -sfn "$D"/shared/config/settings.json "$R"/config/settings.json
export HOIST_RELEASE="$id" HOIST_REVISION="$rev" HOIST_RELEASE_PATH="$R" HOIST_DEPLOY_TO="$D"
echo '::hoist-NONCE:: step=python: venv'
if ! command -v python3 >/dev/null 2>&1; then
  echo 'python.venv: this host has no python3 to make the release'\''s venv with; install it (Debian: apt-get install python3-venv; hoist setup does so when python.venv is true) or remove python.venv' >&2; exit 1
fi
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  echo 'python.venv: this host'\''s python3 cannot make a virtualenv, its package python3-venv is missing; install it (Debian: apt-get install python3-venv; hoist setup does so when python.venv is true) or remove python.venv' >&2; exit 1
fi
if [ -e "$R"/venv ] || [ -L "$R"/venv ]; then echo 'python.venv: the release already holds venv/ (from the repository, the upload or shared:); remove it from there, the venv is built on each host' >&2; exit 1; fi
if [ ! -f "$R"/'requirements/prod list.txt' ]; then echo 'python.requirements: requirements/prod list.txt is not a file of the release; commit it (or put it in the upload), or correct python.requirements' >&2; exit 1; fi
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
eval 'python3 -m venv --system-site-packages venv'
)
echo '::hoist-NONCE:: step=python: pip install -r requirements/prod list.txt'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
eval 'venv/bin/python -m pip install --disable-pip-version-check --no-input -r '\''requirements/prod list.txt'\'''
)
echo '::hoist-NONCE:: step=build: make assets'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
eval 'make assets'
)
echo '::hoist-NONCE:: step=build: echo "$SECRET" | wc -c'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
eval 'echo "$SECRET" | wc -c'
)
echo '::hoist-NONCE:: step=finish'
printf '%s\n' "$rev" > "$R"/REVISION