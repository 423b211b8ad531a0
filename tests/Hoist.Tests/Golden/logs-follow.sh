D=/srv/myapp
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
set +e
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
read_log() { local f="${*: -1}"; if [ -r "$f" ]; then "$@"; else as_root "$@"; fi; }
grep -E -e 'error|warn' </dev/null >/dev/null; [ $? -le 1 ] || exit 3
set -m
stop_all() { for p in $(jobs -p); do kill -TERM -- "-$p" 2>/dev/null; done; }
trap 'stop_all; exit 0' TERM HUP INT
f=/srv/myapp/shared/log/serve.log
read_log tail -n 10 -F "$f" | grep --line-buffered -E -e 'error|warn' &
if [ -d /run/systemd/system ]; then as_root journalctl -u myapp.service --no-pager -q -o short-iso-precise --utc -n 10 -f | grep --line-buffered -E -e 'error|warn' | sed -u 's/^/journal: /' & fi
f=/var/log/nginx/error.log
read_log tail -n 10 -F "$f" | grep --line-buffered -E -e 'error|warn' | sed -u 's/^/nginx: /' &
( trap '' PIPE; while printf '%s\n' '::hoist-NONCE:: beat' ; do sleep 1; done ) &
wait "$!"
stop_all
exit 0