D=/srv/myapp
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
set +e
if [ -L "$D"/current ]; then l=$(readlink "$D"/current); l=${l%/}; c=${l##*/}; echo "::hoist-NONCE:: current=$c"
  case "$c" in ''|*[!0-9-]*) ;; *) if [ -f "$D/releases/$c/REVISION" ]; then rev=; IFS= read -r -n 256 rev < "$D/releases/$c/REVISION"; echo "::hoist-NONCE:: revision=$rev"; fi ;; esac
fi
if [ -f "$D"/.hoist/audit.log ]; then tail -n 50 "$D"/.hoist/audit.log | cut -c 1-1000 | sed 's/^/::hoist-NONCE:: audit=/' ; fi
if [ -d /run/systemd/system ]; then u=$(systemctl is-active myapp.service 2>/dev/null); echo "::hoist-NONCE:: unit=${u:-unknown}"; fi
if [ "$(id -u)" = 0 ]; then as_root() { "$@"; }; as_app() { runuser -u myappuser -- "$@"; }; else as_root() { sudo -n "$@"; }; as_app() { sudo -n -u myappuser -- "$@"; }; fi
s=$(as_app /usr/local/bin/hoist serve --ini /srv/myapp/shared/serve.ini --status --json 2>&1); se=$?
echo "::hoist-NONCE:: serve_exit=$se"
echo "::hoist-NONCE:: serve=$(printf '%s' "$s" | head -c 262144 | base64 -w 0)"
h=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1; printf "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: hoist-health\r\n\r\n" "$1" "$2" >&3; head -n 1 <&3 | tr -d "\r"' 80 /up localhost 2>/dev/null) || h=
echo "::hoist-NONCE:: health=$h"
exit 0