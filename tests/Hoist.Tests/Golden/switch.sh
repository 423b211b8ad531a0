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
  printf '%s\n' 20260102030405 >> "$D"/.hoist/history.new &&
  printf '%s\n' '2026-01-02T03:04:05Z me@box deploy release=20260102030405' > "$D"/.hoist/lock/audit
} 2>&1 ); then
  rm -f "$D"/.hoist/history.new
  unused_release; echo "cannot record the switch, nothing was switched: $record_error" >&2; exit 1
fi
rm -f "$D"/releases/20260102030405/.hoist-bad
if ! switch_error=$( {
  ln -sfn releases/20260102030405 "$D"/.current.tmp &&
  mv -T "$D"/.current.tmp "$D"/current
} 2>&1 ); then
  rm -f "$D"/.current.tmp "$D"/.hoist/history.new
  unused_release; echo "current could not be pointed at the release (a deploy's new one is removed): $switch_error" >&2; exit 1
fi
echo "::hoist-NONCE:: switched=1"
set +e
reload_status=0
echo '::hoist-NONCE:: step=reload'
export HOIST_RELEASE=20260102030405 HOIST_RELEASE_PATH="$D"/releases/20260102030405 HOIST_DEPLOY_TO="$D"
(
set +e +u +o pipefail
cd "$D"
export MODE=production
export SECRET='[REDACTED]'
eval 'touch shared/reload'
) || reload_status=$?
echo "::hoist-NONCE:: reload_status=$reload_status"
if [ "$reload_status" = 0 ]; then
echo '::hoist-NONCE:: step=health /up?full=1'
health_deadline=$((SECONDS + 7))
while :; do
  health_answer=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1; printf "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: hoist-health\r\n\r\n" "$1" "$2" >&3; head -n 1 <&3 | tr -d "\r"' 80 '/up?full=1' localhost 2>/dev/null) || health_answer=
  case "$health_answer" in HTTP/*' '2[0-9][0-9]|HTTP/*' '2[0-9][0-9]' '*) break ;; esac
  if [ "$SECONDS" -ge "$health_deadline" ]; then break; fi
  sleep 0.2
done
case "$health_answer" in HTTP/*' '2[0-9][0-9]|HTTP/*' '2[0-9][0-9]' '*) health=ok ;; *) health=failed ;; esac
echo "::hoist-NONCE:: health=$health"
if [ "$health" = failed ]; then
  printf 'health check: http://%s:80%s through nginx on this host answered '\''%s'\'' (2xx wanted) within 7 s\n' localhost '/up?full=1' "${health_answer:-nothing}" >&2
  reload_status=1
fi
fi
exit "$reload_status"