D="$HOME"/'apps/my app'
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
if [ ! -L "$D"/current ]; then
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi
  echo "nothing is deployed on this host yet ($D/current does not exist): run hoist deploy, which migrates before its switch" >&2; exit 1
fi
R="$D"/releases/"$(basename "$(readlink "$D"/current)")"
migrate_status=0
env_value() {
  [ -f "$2" ] && [ -r "$2" ] || return 0
  local v
  v=$(sed -n "s/^\(export[[:space:]]\{1,\}\)\{0,1\}$1=//p" "$2" | tail -n 1) || true
  v=${v%$'\r'}; v=${v%"${v##*[![:space:]]}"}
  case "$v" in \"*\") v=${v#\"}; v=${v%\"} ;; \'*\') v=${v#\'}; v=${v%\'} ;; esac
  printf '%s' "$v"
}
owner_url=$(env_value MIGRATE_DATABASE_URL "$D"/.env.migrate)
app_url=$(env_value DATABASE_URL "$D"/shared/.env)
if [ -n "$owner_url" ]; then url_from='the owner role (.env.migrate)'; elif [ -n "$app_url" ]; then url_from='shared/.env (no .env.migrate)'; else url_from='the environment (neither .env.migrate nor shared/.env has one)'; fi
echo "migrate: as $(id -un) in $R; DATABASE_URL from $url_from"
export HOIST_RELEASE="$(basename "$R")" HOIST_REVISION="$(cat "$R"/REVISION 2>/dev/null || true)" HOIST_RELEASE_PATH="$R" HOIST_DEPLOY_TO="$D"
if [ "$migrate_status" -eq 0 ]; then
echo '::hoist-NONCE:: step=migrate: venv/bin/flask db upgrade'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
if [ -n "$owner_url" ]; then export DATABASE_URL="$owner_url"; elif [ -z "${DATABASE_URL:-}" ] && [ -n "$app_url" ]; then export DATABASE_URL="$app_url"; fi
eval 'venv/bin/flask db upgrade'
) || migrate_status=$?
fi
if [ "$migrate_status" -eq 0 ]; then
echo '::hoist-NONCE:: step=migrate: echo "$DATABASE_URL" | wc -c'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
if [ -n "$owner_url" ]; then export DATABASE_URL="$owner_url"; elif [ -z "${DATABASE_URL:-}" ] && [ -n "$app_url" ]; then export DATABASE_URL="$app_url"; fi
eval 'echo "$DATABASE_URL" | wc -c'
) || migrate_status=$?
fi
if [ "$migrate_status" -eq 0 ]; then migrate_result=ok; else migrate_result=failed; fi
printf '%s release=%s result=%s\n' '2026-01-02T03:04:05Z me@box migrate' "$(basename "$R")" "$migrate_result" >> "$D"/.hoist/audit.log || echo 'the audit line could not be appended to .hoist/audit.log' >&2
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi
exit "$migrate_status"