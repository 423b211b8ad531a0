D="$HOME"/'apps/my app'
echo '::hoist-NONCE:: step=switch'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
unused_release() {
  mine=$(cat "$D"/.hoist/lock/release 2>/dev/null || true)
  if [ -n "$mine" ] && [ "$mine" != "$(basename "$(readlink "$D"/current 2>/dev/null)")" ]; then rm -rf "$D"/releases/"$mine"; fi
}
if ! record_error=$( {
  { if [ -f "$D"/.hoist/history ]; then cp "$D"/.hoist/history "$D"/.hoist/history.new; else : > "$D"/.hoist/history.new; fi; } &&
  printf '%s\n' 20250101000000 >> "$D"/.hoist/history.new &&
  printf '%s\n' '2026-01-02T03:04:05Z me@box rollback release=20250101000000' > "$D"/.hoist/lock/audit
} 2>&1 ); then
  rm -f "$D"/.hoist/history.new
  unused_release; echo "cannot record the switch, nothing was switched: $record_error" >&2; exit 1
fi
rm -f "$D"/releases/20250101000000/.hoist-bad
if ! switch_error=$( {
  ln -sfn releases/20250101000000 "$D"/.current.tmp &&
  mv -T "$D"/.current.tmp "$D"/current
} 2>&1 ); then
  rm -f "$D"/.current.tmp "$D"/.hoist/history.new
  unused_release; echo "current could not be pointed at the release (a deploy's new one is removed): $switch_error" >&2; exit 1
fi
echo "::hoist-NONCE:: switched=1"
set +e
reload_status=0
exit "$reload_status"