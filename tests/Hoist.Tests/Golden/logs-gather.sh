D=/srv/myapp
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
set +e
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
read_log() { local f="${*: -1}"; if [ -r "$f" ]; then "$@"; else as_root "$@"; fi; }
f=/srv/myapp/shared/log/serve.log
if [ -e "$f" ]; then read_log tail -n 100 "$f" | sed 's/^/::hoist-NONCE:: logto=/' ; fi
if [ -d /run/systemd/system ]; then
   as_root journalctl -u myapp.service --no-pager -q -o short-iso-precise --utc -n 100 | tail -n 100 | sed 's/^/::hoist-NONCE:: journal=/'
fi
exit 0