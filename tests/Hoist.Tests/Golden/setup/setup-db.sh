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
packages postgresql sudo postgresql-contrib || true
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
if ! command -v pg_lsclusters >/dev/null; then
  [ "$DRY" = 1 ] || fail "PostgreSQL's tools (pg_lsclusters) are missing although postgresql is installed"
  item "postgresql cluster, settings, pg_hba.conf, database and roles (after the install)" would-change
  return 0
fi
cluster=$(pg_lsclusters -h 2>/dev/null | head -n 1) || true
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if [ "$DRY" = 1 ]; then echo "would create cluster $version/main"; item "postgresql cluster" would-change; cluster="$version main 0 down"
  else pg_createcluster "$version" main >/dev/null || fail "pg_createcluster $version main failed"; item "postgresql cluster $version/main" changed; cluster=$(pg_lsclusters -h | head -n 1); fi
fi
read -r version name _ status _ <<<"$cluster"
etc=/etc/postgresql/$version/$name
conf='# written by hoist setup
listen_addresses = '\''localhost,10.77.3.3'\''
port = 5432'
restart=0
if [ "$DRY" = 1 ] && [ ! -d "$etc" ]; then item "postgresql settings" would-change
else mkdir -p "$etc/conf.d" || fail "cannot make $etc/conf.d"; put_file "postgresql settings" "$etc/conf.d/hoist.conf" 644 postgres postgres "$conf"$'\n' 0 && restart=1 || true; fi
block='# BEGIN hoist myproject: written by `hoist setup`; edit hoist.yml (setup.database), not these lines
host    myproject       myproject_app           10.77.3.2/32       scram-sha-256
host    myproject       myproject_app           10.77.3.4/32       scram-sha-256
host    myproject       myproject_owner         10.77.3.2/32       scram-sha-256
host    myproject       myproject_owner         10.77.3.4/32       scram-sha-256
local   all             myproject_app                              reject
host    all             myproject_app           0.0.0.0/0          reject
host    all             myproject_app           ::/0               reject
local   all             myproject_owner                            reject
host    all             myproject_owner         0.0.0.0/0          reject
host    all             myproject_owner         ::/0               reject
# END hoist myproject
'
begin='# BEGIN hoist myproject'
end='# END hoist myproject'
hba="$etc/pg_hba.conf"
# This app's block only: its BEGIN line up to its END line, both matched whole (not another app's
# whose name starts the same); a BEGIN without an END is an error, not the rest of the file dropped.
rest=$(awk -v b="$begin:" -v e="$end" 'index($0, b) == 1 { skip = 1 } !skip { print } skip && $0 == e { skip = 0 } END { exit skip ? 3 : 0 }' "$hba") \
  || fail "$hba has the line '$begin' without its '$end'; fix the file by hand"
reload=0
if [ -f "$hba" ]; then
  put_file "pg_hba.conf" "$hba" 640 postgres postgres "$block$rest"$'\n' 0 && reload=1 || true
else item "pg_hba.conf" would-change; fi
if [ "$DRY" = 1 ]; then
  [ "$status" = online ] && item "postgresql running" ok || item "postgresql running" would-change
elif [ "$status" != online ]; then
  pg_ctlcluster "$version" "$name" start || fail "PostgreSQL $version/$name did not start; see /var/log/postgresql"; item "postgresql running" changed
elif [ "$restart" = 1 ]; then
  pg_ctlcluster "$version" "$name" restart || fail "PostgreSQL $version/$name did not restart; see /var/log/postgresql"; item "postgresql restarted (listen_addresses, port)" changed
elif [ "$reload" = 1 ]; then
  pg_ctlcluster "$version" "$name" reload || fail "PostgreSQL $version/$name did not reload"; item "postgresql reloaded (pg_hba.conf)" changed
else
  item "postgresql running" ok
fi
sql='[REDACTED]'
if [ "$DRY" = 1 ] && [ "$status" != online ]; then
  item "database, roles and privileges (PostgreSQL is not running to compare)" would-change
else
  # On failure only psql's ERROR lines are shown: its CONTEXT lines would quote statements, verifiers included.
  out=$(printf '%s' "$sql" | sudo -n -u postgres -- psql --cluster "$version/$name" -X -q -d postgres 2>&1) \
    || { grep -E '^(ERROR|FATAL|psql)' <<<"$out" >&2 || true; fail "the database SQL failed"; }
  while IFS= read -r line; do
    case $line in
      "NOTICE:  hoist: "*)
        what=${line#NOTICE:  hoist: }; status_of=${what##* }
        if [ "$DRY" = 1 ] && [ "$status_of" != ok ]; then status_of=would-change; fi
        item "${what% *}" "$status_of" ;;
    esac
  done <<<"$out"
fi