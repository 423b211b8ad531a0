D=/srv/myapp
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
set +e
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
read_log() { local f="${*: -1}"; if [ -r "$f" ]; then "$@"; else as_root "$@"; fi; }
grep -E -e 'it'\''s $(reboot) | x' </dev/null >/dev/null; [ $? -le 1 ] || exit 3
f=/srv/myapp/shared/log/serve.log
if [ -e "$f" ]; then read_log cat "$f" | LC_ALL=C awk -v s=2026-12-03T14:00:00.000Z '$0 >= s' | grep -E -e 'it'\''s $(reboot) | x' | tail -n 5 | sed 's/^/::hoist-NONCE:: logto=/' ; fi
if [ -d /run/systemd/system ]; then
   as_root journalctl -u myapp.service --no-pager -q -o short-iso-precise --utc --since @1796306400 | grep -E -e 'it'\''s $(reboot) | x' | tail -n 5 | sed 's/^/::hoist-NONCE:: journal=/'
fi
f=/var/log/nginx/error.log
if [ -e "$f" ]; then read_log cat "$f" | LC_ALL=C awk -v 's=2026/12/03 14:00:00' '$0 >= s' | grep -E -e 'it'\''s $(reboot) | x' | tail -n 5 | sed 's/^/::hoist-NONCE:: nginx=/' ; fi
exit 0