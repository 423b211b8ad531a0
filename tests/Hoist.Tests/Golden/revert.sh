D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=revert'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
set +e
revert_status=0
rm -f "$D"/.hoist/history.new
if [ "$(basename "$(readlink "$D"/current 2>/dev/null)")" = 20260102030405 ]; then
  if [ ! -f "$D"/releases/20250202000000/REVISION ]; then
    printf 'the release to go back to, %s, is gone (or incomplete): current is left on %s, the failed release; deploy a good release\n' 20250202000000 20260102030405 >&2; revert_status=1
  elif ln -sfn releases/20250202000000 "$D"/.current.tmp && mv -T "$D"/.current.tmp "$D"/current; then
echo "::hoist-NONCE:: reverted=20250202000000"
  else
    rm -f "$D"/.current.tmp; echo 'current could not be put back; it still points at the failed release' >&2; revert_status=1
  fi
fi
if [ "$revert_status" = 0 ]; then
echo '::hoist-NONCE:: step=reload'
export HOIST_RELEASE=20250202000000 HOIST_RELEASE_PATH="$D"/releases/20250202000000 HOIST_DEPLOY_TO="$D"
(
set +e +u +o pipefail
cd "$D"
export MODE=production
export SECRET='[REDACTED]'
eval 'touch shared/reload'
) || revert_status=$?
echo "::hoist-NONCE:: revert_reload_status=$revert_status"
  :
fi
if [ -d "$D"/releases/20260102030405 ]; then touch "$D"/releases/20260102030405/.hoist-bad; fi
printf '%s\n' '2026-01-02T03:04:06Z me@box revert deploy release=20260102030405 back=20250202000000 reason=web2: not healthy' >> "$D"/.hoist/audit.log || echo 'the audit line could not be appended to .hoist/audit.log' >&2
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi
exit "$revert_status"