D="$HOME"/'apps/my app'
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
echo '::hoist-NONCE:: step=lock'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
echo $$ > "$D"/.hoist/lock/pid
R="$D"/releases/20260102030405
if [ ! -f "$R"/REVISION ]; then echo "the new release $R is not complete; nothing was migrated" >&2; exit 1; fi
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
echo '::hoist-NONCE:: step=migrate: venv/bin/flask db upgrade'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
if [ -n "$owner_url" ]; then export DATABASE_URL="$owner_url"; elif [ -z "${DATABASE_URL:-}" ] && [ -n "$app_url" ]; then export DATABASE_URL="$app_url"; fi
eval 'venv/bin/flask db upgrade'
)
echo '::hoist-NONCE:: step=migrate: echo "$DATABASE_URL" | wc -c'
(
set +e +u +o pipefail
cd "$R"
export MODE=production
export SECRET='[REDACTED]'
if [ -n "$owner_url" ]; then export DATABASE_URL="$owner_url"; elif [ -z "${DATABASE_URL:-}" ] && [ -n "$app_url" ]; then export DATABASE_URL="$app_url"; fi
eval 'echo "$DATABASE_URL" | wc -c'
)