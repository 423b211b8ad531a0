D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=revert'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
set +e
revert_status=0
rm -f "$D"/.hoist/history.new
if [ "$(basename "$(readlink "$D"/current 2>/dev/null)")" = 20260102030405 ]; then
echo "::hoist-NONCE:: reverted=none"
fi
if [ -d "$D"/releases/20260102030405 ]; then touch "$D"/releases/20260102030405/.hoist-bad; fi
printf '%s\n' '2026-01-02T03:04:06Z me@box revert deploy release=20260102030405 back=- reason=web2: not healthy' >> "$D"/.hoist/audit.log || echo 'the audit line could not be appended to .hoist/audit.log' >&2
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi
exit "$revert_status"