D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=commit'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
set +e
if [ -d "$D"/releases/20260102030405 ]; then touch "$D"/releases/20260102030405/.hoist-bad; fi
if [ -f "$D"/.hoist/history.new ]; then mv -T "$D"/.hoist/history.new "$D"/.hoist/history; fi
echo '::hoist-NONCE:: step=prune'
rm -rf "$D"/releases/20240101000000 || echo "::hoist-NONCE:: prune_failed=1"
cat "$D"/.hoist/lock/audit >> "$D"/.hoist/audit.log || echo 'the audit line could not be appended to .hoist/audit.log' >&2
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi