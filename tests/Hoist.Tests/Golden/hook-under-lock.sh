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
echo '::hoist-NONCE:: step=hook: venv/bin/flask check --deploy'
export HOIST_APP=myapp
export HOIST_RELEASE=20260102030405
export HOIST_REVISION=abc123
export HOIST_HOSTS=10.0.0.5,10.0.0.6
export HOIST_WHO=me@box
export HOIST_MESSAGE='it'\''s friday'
export HOIST_PHASE=before_switch
if [ -n "$HOIST_RELEASE" ] && [ -d "$D"/releases/"$HOIST_RELEASE" ]; then hook_dir="$D"/releases/"$HOIST_RELEASE"; elif [ -d "$D" ]; then hook_dir="$D"; else hook_dir="$HOME"; fi
export HOIST_RELEASE_PATH="$hook_dir" HOIST_DEPLOY_TO="$D"
(
set +e +u +o pipefail
cd "$hook_dir"
export MODE=production
export SECRET='[REDACTED]'
eval 'venv/bin/flask check --deploy'
)