D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=switch'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
if [ -d "$D"/releases/20260102030405 ]; then touch "$D"/releases/20260102030405/.hoist-bad; fi
rm -f "$D"/releases/20250101000000/.hoist-bad
ln -sfn releases/20250101000000 "$D"/.current.tmp
mv -T "$D"/.current.tmp "$D"/current
echo "::hoist-NONCE:: switched=1"
set +e
printf '%s\n' 20250101000000 >> "$D"/.hoist/history
reload_status=0
printf '%s\n' '2026-01-02T03:04:05Z me@box rollback release=20250101000000' >> "$D"/.hoist/audit.log
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi
exit "$reload_status"