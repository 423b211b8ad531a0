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
fw_unit_file=/etc/systemd/system/hoist-firewall.service
fw_app=myproject
fw_live() { command -v nft >/dev/null && nft list table inet hoist 2>/dev/null; }
# The app whose setup wrote the kept rules, from the file's first line (FirewallRules.Render); nothing when none.
fw_owner() { if [ -f /etc/hoist/firewall.nft ]; then sed -n '1s/^# The firewall of .* for \([A-Za-z0-9._-]*\), written by `hoist setup`.*$/\1/p' /etc/hoist/firewall.nft; fi; }
fw_by=$(fw_owner)
if [ -n "$fw_by" ] && [ "$fw_by" != "$fw_app" ]; then
  item "firewall left as it is (written by the setup of $fw_by; setup.firewall is false for $fw_app)" ok
elif fw_live >/dev/null 2>&1 || [ -e "$fw_unit_file" ] || [ -e /etc/hoist/firewall.nft ]; then
  if [ "$DRY" = 1 ]; then
    echo "would delete the table inet hoist and hoist-firewall.service (setup.firewall is false)"; item "firewall removed (setup.firewall is false)" would-change
  else
    systemctl stop hoist-firewall-rollback.timer 2>/dev/null || true
    if [ -e "$fw_unit_file" ]; then systemctl disable -q hoist-firewall.service 2>/dev/null || true; rm -f "$fw_unit_file"; systemctl daemon-reload; fi
    systemctl reset-failed hoist-firewall.service hoist-firewall-rollback.service hoist-firewall-rollback.timer 2>/dev/null || true
    if fw_live >/dev/null 2>&1; then nft delete table inet hoist || fail "nft delete table inet hoist failed on $(hostname)"; echo "deleted the table inet hoist"; fi
    rm -f /etc/hoist/firewall.nft /etc/hoist/firewall.nft.new /etc/hoist/firewall.restore /etc/hoist/firewall.applied /etc/hoist/firewall.loaded
    item "firewall removed (setup.firewall is false)" changed
  fi
fi