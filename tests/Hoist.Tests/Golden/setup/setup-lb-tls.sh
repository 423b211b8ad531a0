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
packages nginx certbot || true
conf_plain='# The load balancer of myproject, written by `hoist setup` and by deploys that drain web hosts: edit hoist.yml (hosts, setup.nginx), not this file.
upstream hoist_myproject {
    server 10.77.3.2:80 max_fails=3 fail_timeout=10s;
    server 10.77.3.4:80 max_fails=3 fail_timeout=10s;
    keepalive 16;
}

server {
    listen 80;
    server_name myproject.example.com www.myproject.example.com;
    location ^~ /.well-known/acme-challenge/ {
        root /var/lib/hoist/acme/myproject;
        default_type text/plain;
    }

    client_max_body_size 75m;
    keepalive_timeout 0;

    location / {
        proxy_pass http://hoist_myproject;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $hoist_connection_upgrade;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_redirect off;
    }
}
'
conf_live='# The load balancer of myproject, written by `hoist setup` and by deploys that drain web hosts: edit hoist.yml (hosts, setup.nginx), not this file.
upstream hoist_myproject {
    server 10.77.3.2:80 max_fails=3 fail_timeout=10s;
    server 10.77.3.4:80 max_fails=3 fail_timeout=10s;
    keepalive 16;
}

server {
    listen 80;
    server_name myproject.example.com www.myproject.example.com;
    location ^~ /.well-known/acme-challenge/ {
        root /var/lib/hoist/acme/myproject;
        default_type text/plain;
    }

    location / {
        return 301 https://$host$request_uri;
    }
}

server {
    listen 443 ssl;
    server_name myproject.example.com www.myproject.example.com;
    ssl_certificate /etc/letsencrypt/live/myproject/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/myproject/privkey.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    add_header Strict-Transport-Security "max-age=31536000" always;
    client_max_body_size 75m;
    keepalive_timeout 0;

    location / {
        proxy_pass http://hoist_myproject;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $hoist_connection_upgrade;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_redirect off;
    }
}
'
tls_live=/etc/letsencrypt/live/myproject
if [ -s "$tls_live/fullchain.pem" ] && [ -s "$tls_live/privkey.pem" ]; then conf=$conf_live; else conf=$conf_plain; fi
tls_live=/etc/letsencrypt/live/myproject
tls_renewal=/etc/letsencrypt/renewal/myproject.conf
tls_server=https://acme-v02.api.letsencrypt.org/directory
tls_wanted='myproject.example.com www.myproject.example.com'
tls_first=myproject.example.com
tls_webroot=/var/lib/hoist/acme/myproject
tls_port=80
tls_item='certificate myproject (myproject.example.com, www.myproject.example.com)'
put_dir /var/lib/hoist/acme /var/lib/hoist/acme 755 root root || true
put_dir "$tls_webroot" "$tls_webroot" 755 root root || true
tls_cert_ok() {
  [ -s "$tls_live/fullchain.pem" ] && [ -s "$tls_live/privkey.pem" ] && [ -s "$tls_live/cert.pem" ] && [ -f "$tls_renewal" ] || return 1
  grep -qxF "server = $tls_server" "$tls_renewal" || return 1
  local have
  have=$(python3 -c '
import datetime, sys
from cryptography import x509
c = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
if c.not_valid_after <= datetime.datetime.utcnow():
    print("expired")
else:
    print(" ".join(sorted(c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))))
' "$tls_live/cert.pem" 2>/dev/null) || return 1
  [ "$have" = "$tls_wanted" ]
}
if tls_cert_ok; then
  item "$tls_item" ok
elif [ "$DRY" = 1 ]; then
  echo "would ask $tls_server for a certificate for $tls_wanted (certbot, HTTP-01 on port $tls_port), then serve the site on 443"
  item "$tls_item" would-change
else
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
site=/etc/nginx/sites-available/myproject-lb
link=/etc/nginx/sites-enabled/myproject-lb
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
  mkdir -p "$tls_webroot/.well-known/acme-challenge"
  tls_probe="hoist-probe-$$-$RANDOM"; echo "$tls_probe" >"$tls_webroot/.well-known/acme-challenge/$tls_probe"
  tls_seen=0
  for _ in $(seq 50); do
    # bash's /dev/tcp, in a child bash: curl may not be installed, and a refused connection must not end this script.
    tls_got=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET /.well-known/acme-challenge/%s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$3" >&3 && cat <&3' \
      _ "$tls_port" "$tls_probe" "$tls_first" 2>/dev/null) || true
    case "$tls_got" in *$'\n'"$tls_probe"*) tls_seen=1; break ;; esac
    sleep 0.1
  done
  rm -f -- "$tls_webroot/.well-known/acme-challenge/$tls_probe"
  [ "$tls_seen" = 1 ] || fail "nginx on $(hostname) does not serve $tls_webroot at http://$tls_first:$tls_port/.well-known/acme-challenge/, so the CA could not check it: is $tls_first in setup.nginx.server_name?"
  if ! tls_out=$(certbot certonly --non-interactive --agree-tos --no-eff-email --webroot -w /var/lib/hoist/acme/myproject --cert-name myproject --email ops@myproject.example.com --server https://acme-v02.api.letsencrypt.org/directory --force-renewal -d myproject.example.com -d www.myproject.example.com 2>&1 </dev/null); then
    echo "$tls_out" | tail -n 20 >&2
    # The fix depends on what failed: a challenge the CA could not check, or a CA this host cannot reach.
    # Challenges first: their output says "Requesting a certificate" too.
    case "$tls_out" in
      *"failed to authenticate"*|*"Challenge failed"*|*"challenges have failed"*)
        fail "certbot could not get a certificate for $tls_wanted from $tls_server (above): the CA could not check the challenge; each name must resolve to $(hostname)'s public address and reach its port $tls_port; the site keeps serving plain HTTP" ;;
      *"Requesting "*|*"Max retries exceeded"*|*"Failed to establish a new connection"*|*"certificate verify failed"*|*"Temporary failure in name resolution"*)
        fail "certbot on $(hostname) could not reach the ACME server $tls_server (above) to get a certificate for $tls_wanted: check that it is up and that this host reaches it (DNS, a firewall, a proxy), or correct setup.tls.acme_server (with a private CA, setup.tls.acme_ca names the CA of its HTTPS certificate); the site keeps serving plain HTTP" ;;
      *)
        fail "certbot could not get a certificate for $tls_wanted from $tls_server (its lines above say why); the site keeps serving plain HTTP" ;;
    esac
  fi
  tls_cert_ok || fail "certbot ran, but $tls_live does not hold a certificate for $tls_wanted"
  item "$tls_item" changed
fi
[ "$DRY" = 1 ] || mkdir -p /etc/letsencrypt/renewal-hooks/deploy
tls_hook='#!/bin/sh
# Written by hoist setup (setup.tls): certbot runs it after each renewal, so that nginx serves the new certificate.
nginx -t -q || exit 1
if [ -d /run/systemd/system ]; then exec systemctl reload nginx; else exec nginx -s reload; fi
'
tls_hook_file=/etc/letsencrypt/renewal-hooks/deploy/hoist-myproject-nginx-reload
put_file "certbot deploy hook $tls_hook_file" "$tls_hook_file" 755 root root "$tls_hook" 0 || true
tls_dropin=/etc/systemd/system/certbot.service.d/hoist-myproject.conf
tls_dropin_text=''
if [ -d /run/systemd/system ]; then
  if [ -n "$tls_dropin_text" ]; then
    [ "$DRY" = 1 ] || mkdir -p "$(dirname "$tls_dropin")"
    put_file "certbot.service drop-in $tls_dropin" "$tls_dropin" 644 root root "$tls_dropin_text" 0 && { [ "$DRY" = 1 ] || systemctl daemon-reload; } || true
  elif [ -e "$tls_dropin" ]; then
    if [ "$DRY" = 1 ]; then item "certbot.service drop-in $tls_dropin removed" would-change
    else rm -f -- "$tls_dropin"; systemctl daemon-reload; item "certbot.service drop-in $tls_dropin removed" changed; fi
  fi
  if systemctl is-enabled -q certbot.timer 2>/dev/null && systemctl is-active -q certbot.timer; then item "certbot.timer (renewals)" ok
  elif [ "$DRY" = 1 ]; then item "certbot.timer (renewals)" would-change
  else systemctl enable --now certbot.timer || fail "certbot.timer did not start: certificates would not be renewed"; item "certbot.timer (renewals)" changed
  fi
elif [ -f /etc/cron.d/certbot ] || [ "$DRY" = 1 ]; then item "certbot renewals (/etc/cron.d/certbot)" ok
else fail "certbot's renewals run from certbot.timer or /etc/cron.d/certbot, and $(hostname) has neither"
fi
if [ -s "$tls_live/fullchain.pem" ] && [ -s "$tls_live/privkey.pem" ]; then conf=$conf_live; else conf=$conf_plain; fi
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
site=/etc/nginx/sites-available/myproject-lb
link=/etc/nginx/sites-enabled/myproject-lb
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
# nginx's worker processes (not those shutting down after a reload), children of the pid its config names.
lb_pid_file=$(nginx -T 2>/dev/null | awk '$1 == "pid" && !found { sub(";", "", $2); print $2; found = 1 }')
lb_workers() {
  local master
  master=$(cat "${lb_pid_file:-/run/nginx.pid}" 2>/dev/null) || return 0
  ps -o pid=,args= --ppid "$master" 2>/dev/null | awk '/worker process$/ { print $1 }'
}
old_workers=" $(lb_workers | tr '\n' ' ') "
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
wait_tenths=100
if [ "$nginx_reload" = 1 ]; then
  live=0
  for _ in $(seq "$wait_tenths"); do
    now=$(lb_workers)
    if [ -n "$now" ]; then live=1; for w in $now; do case "$old_workers" in *" $w "*) live=0 ;; esac; done; fi
    [ "$live" = 1 ] && break
    sleep 0.1
  done
  [ "$live" = 1 ] || fail "nginx on $(hostname) still had its old workers $((wait_tenths / 10)) s after the reload: the new upstream is written but may not be serving yet"
fi