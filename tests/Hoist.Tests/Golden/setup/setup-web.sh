M='::hoist-NONCE:: '
DRY=0
item() { echo "${M}item=$2 $1"; }
fail() { echo "$1" >&2; exit 1; }
# Items run on the left of || (their status says whether they changed anything), where bash ignores
# set -e: every step that must not fail says so itself.
# no_link PATH: a path root writes must not be a symlink (someone could point it at /etc).
no_link() { if [ -L "$1" ]; then fail "$1 is a symbolic link; hoist setup writes there as root and will not follow it: remove it"; fi; }
# same_file PATH CONTENT MODE OWNER GROUP: true when the file is exactly that (contents, mode, owners).
same_file() {
  [ -f "$1" ] && [ ! -L "$1" ] && [ "$(cat -- "$1"; printf x)" = "$2"x ] && [ "$(stat -c '%a %U %G' -- "$1")" = "$3 $4 $5" ]
}
# show_change PATH CONTENT SECRET: under --dry-run, what would change in a file (never a secret's text).
show_change() {
  if [ "$3" = 1 ]; then
    echo "would write $1 (not shown: it holds passwords)"
  elif [ -f "$1" ]; then
    diff -u --label "$1" --label "$1 (new)" -- "$1" <(printf '%s' "$2") || true
  else
    echo "would create $1:"; printf '%s' "$2" | sed 's/^/+ /'
  fi
}
# put_file NAME PATH MODE OWNER GROUP CONTENT SECRET: the file made exactly so, written atomically.
put_file() {
  no_link "$2"
  if same_file "$2" "$6" "$3" "$4" "$5"; then item "$1" ok; return 1; fi
  if [ "$DRY" = 1 ]; then show_change "$2" "$6" "$7"; item "$1" would-change; return 0; fi
  local tmp; tmp=$(mktemp "$(dirname -- "$2")/.hoist.XXXXXX") || fail "cannot write in $(dirname -- "$2")"
  { printf '%s' "$6" >"$tmp" && chmod "$3" "$tmp" && chown "$4:$5" "$tmp" && mv -f -- "$tmp" "$2"; } || { rm -f -- "$tmp"; fail "cannot write $2"; }
  item "$1" changed; return 0
}
# put_dir NAME PATH MODE OWNER GROUP: the folder exists with that mode and owners (a setgid bit only if MODE has it).
put_dir() {
  no_link "$2"
  if [ -d "$2" ] && [ "$(stat -c '%a %U %G' -- "$2")" = "$3 $4 $5" ]; then item "$1" ok; return 1; fi
  if [ "$DRY" = 1 ]; then echo "would make $2 ($3 $4:$5)"; item "$1" would-change; return 0; fi
  { mkdir -p -- "$2" && chown -h "$4:$5" "$2" && chmod g-s "$2" && chmod "$3" "$2"; } || fail "cannot make $2 ($3 $4:$5)"
  item "$1" changed; return 0
}
# packages NAME...: installed with apt, only those dpkg-query says are missing.
packages() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -eq 0 ]; then item "packages ($*)" ok; return 1; fi
  if [ "$DRY" = 1 ]; then echo "would install: ${need[*]}"; item "packages (${need[*]})" would-change; return 0; fi
  command -v apt-get >/dev/null || fail "missing packages ${need[*]}, and this host has no apt-get to install them"
  echo "installing ${need[*]}"
  apt-get update -qq </dev/null || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" </dev/null >/dev/null \
    || fail "apt-get install ${need[*]} failed"
  item "packages (${need[*]})" changed; return 0
}
# env_read FILE: ENV holds FILE's text exactly (empty when there is none); never through a link.
env_read() {
  local LC_ALL=C size
  ENV=
  if [ -L "$1" ]; then echo "$1 is a symbolic link; hoist setup reads and writes it as root and will not follow it: remove it" >&2; exit 1; fi
  if [ -f "$1" ]; then
    ENV=$(cat -- "$1"; printf x) || { echo "cannot read $1" >&2; exit 1; }; ENV=${ENV%x}
    # bash drops NUL bytes from what $(...) reads: the file would be written back without them.
    size=$(stat -c %s -- "$1") || { echo "cannot read $1" >&2; exit 1; }
    if [ "${#ENV}" != "$size" ]; then echo "$1 holds a NUL byte, which no .env reader takes: remove it (the line shows with grep -naP '\\x00' $1)" >&2; exit 1; fi
  fi
}
# env_value LINE NAME: true when LINE sets NAME; its value (as hoist serve reads it) in ENV_VALUE.
env_value() {
  local LC_ALL=C body=${1%$'\r'} re="^[[:space:]]*(export +)?$2 *= *(.*)$"
  [[ $body =~ $re ]] || return 1
  ENV_VALUE=${BASH_REMATCH[2]}
  ENV_VALUE=${ENV_VALUE%"${ENV_VALUE##*[![:space:]]}"}
  if [ ${#ENV_VALUE} -ge 2 ] && [[ ${ENV_VALUE:0:1} == [\"\'] ]] && [ "${ENV_VALUE: -1}" = "${ENV_VALUE:0:1}" ]; then ENV_VALUE=${ENV_VALUE:1:${#ENV_VALUE}-2}; fi
  return 0
}
# env_lines: the caller's local array lines holds ENV's lines, without their line breaks. mapfile reads them in
# one pass: cutting each line off the front of ENV in a loop took minutes for a 1 MB .env.
env_lines() {
  lines=()
  if [ -n "$ENV" ]; then
    mapfile -t lines <<<"$ENV"
    # <<< adds a line break: ENV ending with one reads as one empty line too many.
    if [ "${ENV: -1}" = $'\n' ]; then unset 'lines[${#lines[@]}-1]'; fi
  fi
}
# env_get NAME: true when a line of ENV sets NAME; the first one's value in ENV_VALUE.
env_get() {
  local LC_ALL=C line lines
  env_lines
  for line in "${lines[@]}"; do
    if env_value "$line" "$1"; then return 0; fi
  done
  return 1
}
# env_set NAME VALUE: every line of ENV that sets NAME to something else set to VALUE in place (what precedes
# its '=' kept, so an export stays, and its CR); NAME=VALUE added at the end when no line sets it.
env_set() {
  local LC_ALL=C line lines out= found=0 nl cr i
  env_lines
  for ((i = 0; i < ${#lines[@]}; i++)); do
    line=${lines[i]} nl=$'\n'
    if [ $((i + 1)) = ${#lines[@]} ] && [ "${ENV: -1}" != $'\n' ]; then nl=; fi
    if env_value "$line" "$1"; then
      found=1
      if [ "$ENV_VALUE" != "$2" ]; then
        cr=; [ "${line%$'\r'}" = "$line" ] || cr=$'\r'
        line="${line%%=*}=$2$cr"
      fi
    fi
    out+="$line$nl"
  done
  if [ "$found" = 0 ]; then
    if [ -n "$out" ] && [ "${out: -1}" != $'\n' ]; then out+=$'\n'; fi
    cr=; [ "${out: -2}" != $'\r\n' ] || cr=$'\r'
    out+="$1=$2$cr"$'\n'
  fi
  ENV=$out
}
[ "$(id -u)" = 0 ] || fail "hoist setup needs root on $(hostname): connect as root, or as a user with passwordless sudo"
O=${SUDO_USER:-root}; OG=$(id -gn "$O")
mode=auto
if [ "$mode" = systemd ] && [ ! -d /run/systemd/system ]; then
  fail "setup.service is systemd, but systemd does not run on this host (no /run/systemd/system), so nothing was changed here; set setup.service to auto (a daemon where systemd does not run) or direct in hoist.yml, or boot the host with systemd"
fi
D=/srv/myproject
U=myproject
packages nginx git python3-flask || true
if id -u "$U" >/dev/null 2>&1 && id -nG "$U" | tr ' ' '\n' | grep -qx www-data; then item "user $U (group www-data)" ok
elif [ "$DRY" = 1 ]; then echo "would create user $U in group www-data"; item "user $U" would-change
elif id -u "$U" >/dev/null 2>&1; then usermod -a -G www-data "$U"; item "user $U added to www-data" changed
else useradd --system --user-group --groups www-data --home-dir "$D" --no-create-home --shell /usr/sbin/nologin "$U"; item "user $U (group www-data)" changed
fi
restart=0
reload=0
# deploy_to and shared/ are the login user's (who deploys): the app's user writes only in the folders made
# for it below, so it can never swap a file root later reads or writes (.env.migrate, serve.ini) for a link.
put_dir "$D" "$D" 755 "$O" "$OG" || true
put_dir "$D/shared" "$D/shared" 755 "$O" "$OG" || true
put_dir /srv/myproject/shared/run /srv/myproject/shared/run 2750 myproject www-data || true
put_dir /srv/myproject/shared/media /srv/myproject/shared/media 2750 myproject www-data || true
env_read "$D/shared/.env"
url='[REDACTED]'
env_set DATABASE_URL "$url"
value='[REDACTED]'
env_set SECRET_KEY "$value"
put_file "$D/shared/.env" "$D/shared/.env" 600 "$U" "$U" "$ENV" 1 && reload=1 || true
migrate='[REDACTED]'
put_file "$D/.env.migrate" "$D/.env.migrate" 600 "$O" "$OG" "MIGRATE_DATABASE_URL=$migrate"$'\n' 1 || true
ini='; hoist serve for myproject, written by `hoist setup` from hoist.yml'\''s serve: section; edit that, not this file.
[uwsgi]
socket = /srv/myproject/shared/run/app.sock
chmod-socket = 660
processes = 2
chdir = /srv/myproject/current
wsgi-file = /srv/myproject/current/wsgi.py
callable = app
env-file = /srv/myproject/shared/.env
healthcheck = /up
healthcheck-host = myproject.example.com
ready-timeout = 60
worker-reload-mercy = 30
client-header-timeout = 10
client-body-timeout = 30
reload-probation = 1
log-maxsize = 52428800
vacuum = false
'
put_file "$D/shared/serve.ini" "$D/shared/serve.ini" 640 root "$U" "$ini" 0 && restart=1 || true
hoist=/usr/local/bin/hoist
lib=/usr/local/lib/hoist
hash=upload-0123456789ab
wrapper=$(printf '#!/bin/sh\n# written by hoist setup\nexec %s/hoist "$@"' "$lib")
if [ "$(cat "$lib/.hoist-hash" 2>/dev/null)" = "$hash" ] && same_file "$hoist" "$wrapper"$'\n' 755 root root; then
  item "hoist ($hoist)" ok
elif [ "$DRY" = 1 ]; then
  echo "would install hoist $hash in $lib"; item "hoist ($hoist)" would-change
else
  mkdir -p "$(dirname "$hoist")" "$(dirname "$lib")"
  rm -rf "$lib.new"; mkdir -p "$lib.new"
  echo "${M}payload=wanted"
  tar --no-same-owner -xf - -C "$lib.new" || fail "could not unpack hoist into $lib.new"
  echo "$hash" >"$lib.new/.hoist-hash"
  chown -R root:root "$lib.new"; chmod -R go-w "$lib.new"; chmod 755 "$lib.new"
  "$lib.new/hoist" --version >/dev/null 2>&1 || { rm -rf "$lib.new"; fail "the hoist being installed does not run on $(hostname) ($(uname -m)): a framework-dependent hoist needs the .NET 10 runtime there; publish hoist self-contained for linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/') (see the README) and run setup with that one"; }
  rm -rf "$lib.old"; if [ -d "$lib" ]; then mv "$lib" "$lib.old"; fi; mv "$lib.new" "$lib"; rm -rf "$lib.old"
  put_file "$hoist" "$hoist" 755 root root "$wrapper"$'\n' 0 >/dev/null || true
  item "hoist ($hoist)" changed
fi
map_file=/etc/nginx/conf.d/hoist-upgrade.conf
map_conf='# Written by `hoist setup` (the same for every app on this host): the Connection header Hoist'\''s sites send the app.
map $http_upgrade $hoist_connection_upgrade {
    default upgrade;
    '\'''\''      '\'''\'';
}
'
map_changed=0
if same_file "$map_file" "$map_conf" 644 root root; then
  item "nginx map $map_file" ok
elif [ "$DRY" = 1 ]; then
  show_change "$map_file" "$map_conf" 0; item "nginx map $map_file" would-change
else
  mkdir -p /etc/nginx/conf.d
  map_old=$(mktemp); map_had=0
  if [ -f "$map_file" ]; then cp -a "$map_file" "$map_old"; map_had=1; fi
  printf '%s' "$map_conf" >"$map_file.hoist-new"; chmod 644 "$map_file.hoist-new"; chown root:root "$map_file.hoist-new"; mv -f "$map_file.hoist-new" "$map_file"
  if ! tested=$(nginx -t 2>&1); then
    if [ "$map_had" = 1 ]; then mv -f "$map_old" "$map_file"; else rm -f "$map_file" "$map_old"; fi
    echo "$tested" >&2
    fail "nginx -t refused $map_file (Hoist's map for WebSockets), so it was not put in place; does /etc/nginx/nginx.conf still include conf.d/*.conf in its http block, and does another file define \$hoist_connection_upgrade?"
  fi
  rm -f "$map_old"; item "nginx map $map_file" changed; map_changed=1
fi
site=/etc/nginx/sites-available/myproject
link=/etc/nginx/sites-enabled/myproject
conf='# The nginx site of myproject, written by `hoist setup`: edit hoist.yml (setup.nginx), not this file.
server {
    listen 80;
    server_name myproject.example.com www.myproject.example.com;
    client_max_body_size 75m;

    location /static/ {
        alias /srv/myproject/current/static/;
        error_page 404 = @app;
    }

    location /media/ {
        alias /srv/myproject/shared/media/;
        error_page 404 = @app;
    }

    location / {
        proxy_pass http://unix:/srv/myproject/shared/run/app.sock:;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $hoist_connection_upgrade;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_redirect off;
    }

    location @app {
        proxy_pass http://unix:/srv/myproject/shared/run/app.sock:;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $hoist_connection_upgrade;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_redirect off;
    }
}
'
remove_default=1
need=0
same_file "$site" "$conf" 644 root root || need=1
[ "$(readlink -- "$link" 2>/dev/null)" = "$site" ] || need=1
if [ "$remove_default" = 1 ] && { [ -e /etc/nginx/sites-enabled/default ] || [ -L /etc/nginx/sites-enabled/default ]; }; then need=1; fi
nginx_reload=0
if [ "$need" = 0 ]; then
  item "nginx site $site" ok
elif [ "$DRY" = 1 ]; then
  show_change "$site" "$conf" 0; item "nginx site $site" would-change
else
  backup=$(mktemp -d)
  cp -a /etc/nginx/sites-available /etc/nginx/sites-enabled "$backup"/
  printf '%s' "$conf" >"$site.hoist-new"; chmod 644 "$site.hoist-new"; chown root:root "$site.hoist-new"; mv -f "$site.hoist-new" "$site"
  ln -sfn "$site" "$link"
  if [ "$remove_default" = 1 ]; then rm -f /etc/nginx/sites-enabled/default; fi
  if ! tested=$(nginx -t 2>&1); then
    rm -rf /etc/nginx/sites-available /etc/nginx/sites-enabled
    cp -a "$backup"/sites-available "$backup"/sites-enabled /etc/nginx/
    rm -rf "$backup"
    echo "$tested" >&2
    fail "nginx -t refused the new site $site, so it was not put in place: the previous configuration is back and nginx keeps serving it. Fix setup.nginx in hoist.yml"
  fi
  rm -rf "$backup"; item "nginx site $site" changed; nginx_reload=1
fi
if [ "$map_changed" = 1 ]; then nginx_reload=1; fi
if [ -d /run/systemd/system ]; then
  if ! systemctl is-active -q nginx; then [ "$DRY" = 1 ] && item "nginx running" would-change || { systemctl start nginx || fail "nginx did not start"; item "nginx running" changed; }
  elif [ "$nginx_reload" = 1 ]; then systemctl reload nginx || fail "nginx did not reload"; item "nginx reloaded" changed
  else item "nginx running" ok; fi
elif ! command -v nginx >/dev/null; then
  [ "$DRY" = 1 ] || fail "nginx is missing although it was installed"
  item "nginx running" would-change
elif nginx_pid=$(nginx -T 2>/dev/null | awk '$1 == "pid" && !found { sub(";", "", $2); print $2; found = 1 }') \
  && [ -n "$nginx_pid" ] && [ -s "$nginx_pid" ] && kill -0 "$(cat "$nginx_pid")" 2>/dev/null; then
  if [ "$nginx_reload" = 1 ]; then nginx -s reload || fail "nginx did not reload"; item "nginx reloaded" changed; else item "nginx running" ok; fi
elif [ "$DRY" = 1 ]; then item "nginx running" would-change
else nginx || fail "nginx did not start"; item "nginx running" changed
fi
unit='# hoist serve for myproject, written by `hoist setup`: edit hoist.yml, not this file.
[Unit]
Description=hoist serve for myproject
After=network.target
StartLimitIntervalSec=0

[Service]
Type=notify
NotifyAccess=main
TimeoutStartSec=270
User=myproject
SupplementaryGroups=www-data
WorkingDirectory=/srv/myproject
ExecStart=/usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini
ExecReload=/usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini --reload
KillSignal=SIGTERM
TimeoutStopSec=120
Restart=always
RestartSec=2
UMask=0027
NoNewPrivileges=true
PrivateTmp=true
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=/srv/myproject/shared
PrivateDevices=true
ProtectKernelTunables=true
ProtectKernelModules=true
ProtectKernelLogs=true
ProtectControlGroups=true
ProtectClock=true
ProtectHostname=true
RestrictNamespaces=true
RestrictRealtime=true
RestrictSUIDSGID=true
LockPersonality=true
SystemCallArchitectures=native
CapabilityBoundingSet=
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK

[Install]
WantedBy=multi-user.target
'
unit_file=/etc/systemd/system/myproject.service
unit_name=myproject.service
serve_ini=/srv/myproject/shared/serve.ini
as_root() { "$@"; }
# hide_env_values HOIST INI ENVFILE: stdin to stdout, each value of ENVFILE (4+ characters) and each URL's password
# as [REDACTED]. HOIST serve --ini INI --redact does it (with the one .env parser); where it cannot run (not
# installed yet, INI broken), the same rules in awk: trimmed lines, CRLF, '#', export, spaces around '=', quotes.
hide_env_values() {
  # Read first, so that hoist runs once: it fails (printing nothing) before reading when it cannot do it.
  local text; text=$(cat)
  if printf '%s\n' "$text" | as_root "$1" serve --ini "$2" --redact 2>/dev/null; then return; fi
  printf '%s\n' "$text" | awk 'BEGIN {
    while ((getline l < "/dev/fd/3") > 0) {
      gsub(/^[ \t\r]+|[ \t\r]+$/, "", l)
      if (l == "" || substr(l, 1, 1) == "#") continue
      if (!match(l, /^export +[A-Za-z_][A-Za-z0-9_]* *= */) && !match(l, /^[A-Za-z_][A-Za-z0-9_]* *= */)) continue
      v = substr(l, RLENGTH + 1); q = substr(v, 1, 1)
      if (length(v) >= 2 && (q == "\"" || q == "\047") && substr(v, length(v), 1) == q) v = substr(v, 2, length(v) - 2)
      if (length(v) >= 4) s[++n] = v
      if (match(v, /:\/\/[^:\/@ \t]+:[^\/@ \t]+@/)) { u = substr(v, RSTART + 3, RLENGTH - 4); p = substr(u, index(u, ":") + 1); if (length(p) >= 4) s[++n] = p }
    }
    for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (length(s[b]) > length(s[a])) { t = s[a]; s[a] = s[b]; s[b] = t }
  }
  {
    line = $0
    for (k = 1; k <= n; k++) { out = ""; while ((j = index(line, s[k])) > 0) { out = out substr(line, 1, j - 1) "[REDACTED]"; line = substr(line, j + length(s[k])) } line = out line }
    out = ""
    while (match(line, /:\/\/[^:\/@ \t]+:[^\/@ \t]+@/)) { m = substr(line, RSTART, RLENGTH); c = index(substr(m, 4), ":") + 3; out = out substr(line, 1, RSTART - 1) substr(m, 1, c) "[REDACTED]@"; line = substr(line, RSTART + RLENGTH) }
    print out line
  }' 3< <(as_root cat -- "$3" 2>/dev/null || true)
}
# unit_do ACTION UNIT HOIST INI ENVFILE: systemctl ACTION UNIT, then the unit must be active; else its status and
# last journal lines on stderr (values of ENVFILE hidden, by hide_env_values) and status 1.
unit_do() {
  if as_root systemctl "$1" "$2" && as_root systemctl is-active -q "$2"; then return 0; fi
  {
    echo "systemctl $1 $2 failed, or left it not active; systemctl status $2:"
    as_root systemctl status --no-pager --lines=0 "$2" 2>&1 | hide_env_values "$3" "$4" "$5" || true
    echo "its last journal lines (journalctl -u $2 -n 30):"
    as_root journalctl -u "$2" -n 30 --no-pager -o cat 2>&1 | hide_env_values "$3" "$4" "$5" || true
  } >&2
  return 1
}
# serve_ask HOIST INI ENVFILE ARGS...: HOIST serve --ini INI ARGS as the app user, which asks the running hoist serve
# through its control socket (a reload with --hold, --commit, --revert: what `systemctl reload` cannot carry); what
# it says goes to stdout, or to stderr with ENVFILE's values hidden when it fails.
serve_ask() {
  local said status
  said=$(as_app "$1" serve --ini "$2" "${@:4}" 2>&1); status=$?
  if [ "$status" = 0 ]; then printf '%s\n' "$said"; else printf '%s\n' "$said" | hide_env_values "$1" "$2" "$3" >&2; fi
  return "$status"
}
# serve_quick CONTROL COMMAND WAIT HOIST INI ENVFILE: COMMAND (commit, revert) sent to hoist serve's control socket
# CONTROL by perl (Debian's perl-base, always there) as the app user: no .NET start-up, which under load is most of
# a revert's time. As `hoist serve` does, it trusts only a listener of the app user or root (SO_PEERCRED), and
# believes only the server's answer: ok (status 0, what it said on stdout), not ok or no answer within WAIT
# seconds (status 1, on stderr with ENVFILE's values hidden). Where it cannot ask (no perl, no socket, a listener
# not trusted, sudo refused, the connection closed unanswered), serve_ask asks, through HOIST serve --COMMAND.
serve_quick() {
  local said status
  said=$(as_app perl -e '
    use strict; use Socket;
    my ($path, $command, $wait) = @ARGV;
    my $s; socket($s, AF_UNIX, SOCK_STREAM, 0) && connect($s, pack_sockaddr_un($path)) or exit 12;
    my $peer = getsockopt($s, SOL_SOCKET, SO_PEERCRED) or exit 12;
    my (undef, $uid) = unpack("iI", $peer);
    exit 12 unless $uid == $> || $uid == 0;
    $SIG{ALRM} = sub { print "hoist serve did not answer $command within $wait s\n"; exit 11 };
    alarm $wait;
    syswrite($s, "$command\n") or exit 12;
    shutdown($s, 1);
    local $/; my $answer = <$s>;
    exit 12 unless defined $answer && $answer =~ /"ok"\s*:\s*(true|false)/;
    my $ok = $1 eq "true";
    my ($said) = $answer =~ /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/;
    $said //= "";
    $said =~ s/\\u([0-9a-fA-F]{4})/chr(hex($1))/ge; $said =~ s/\\n/\n/g; $said =~ s/\\(.)/$1/g; $said =~ tr/\x00-\x09\x0b-\x1f\x7f//d;
    binmode STDOUT, ":utf8"; print(($ok ? "" : "error: ") . "$said\n");
    exit($ok ? 0 : 10);
  ' -- "$1" "$2" "$3" 2>/dev/null); status=$?
  case "$status" in
    0) printf '%s\n' "$said" ;;
    10|11) printf '%s\n' "$said" | hide_env_values "$4" "$5" "$6" >&2; return 1 ;;
    *) serve_ask "$4" "$5" "$6" "--$2" ;;
  esac
}
systemd=0
if [ -d /run/systemd/system ]; then systemd=1; fi
if [ "$mode" = direct ]; then systemd=0; fi
serve() { runuser -u "$U" -- "$hoist" serve --ini "$serve_ini" "$@"; }
if [ "$systemd" = 1 ]; then
  if [ "$DRY" != 1 ]; then
    check=$(mktemp -d); printf '%s' "$unit" >"$check/$unit_name"
    verified=$(systemd-analyze verify "$check/$unit_name" 2>&1) || { rm -rf "$check"; echo "$verified" >&2; fail "systemd-analyze verify refused the unit for hoist serve"; }
    rm -rf "$check"
  fi
  if put_file "$unit_file" "$unit_file" 644 root root "$unit" 0; then restart=1; [ "$DRY" = 1 ] || systemctl daemon-reload; fi
  if ! systemctl is-enabled -q "$unit_name"; then [ "$DRY" = 1 ] && item "service enabled" would-change || { systemctl enable -q "$unit_name"; item "service enabled" changed; }; else item "service enabled" ok; fi
  if [ ! -e "$D/current" ]; then item "service (starts at the first deploy)" ok
  elif ! systemctl is-active -q "$unit_name"; then [ "$DRY" = 1 ] && item "service running" would-change || { unit_do start "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not start on $(hostname): see its status and journal above"; item "service running" changed; }
  elif [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "service restart (new settings)" would-change || { unit_do restart "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not restart on $(hostname): see its status and journal above"; item "service restarted (new settings)" changed; }
  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "service reload (new .env)" would-change || { unit_do reload "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not reload on $(hostname): see its status and journal above"; item "service reloaded (new .env)" changed; }
  else item "service running" ok; fi
elif [ ! -e "$D/current" ]; then
  item "hoist serve (starts at the first deploy)" ok
elif serve --status >/dev/null 2>&1; then
  # New settings need a new hoist serve (a reload replaces workers, not the server); a new .env, new workers.
  # --stop returns once the old one has drained and exited: a --daemon while it still stops would fail.
  if [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve restart (new settings)" would-change || { serve --stop >/dev/null || fail "the running hoist serve on $(hostname) did not stop, so the new settings cannot take effect: see the error above"; serve --daemon || fail "hoist serve did not start again on $(hostname)"; item "hoist serve restarted (new settings)" changed; }
  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve reload (new .env)" would-change || { serve --reload >/dev/null || fail "hoist serve --reload failed"; item "hoist serve reloaded (new .env)" changed; }
  else item "hoist serve running" ok; fi
elif [ "$DRY" = 1 ]; then item "hoist serve running" would-change
else serve --daemon || fail "hoist serve did not start"; item "hoist serve running" changed
fi