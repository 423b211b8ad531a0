D=/srv/myapp
U=myappuser
fail() { printf '%s\n' '::hoist-NONCE:: run_error='"$1"; exit 1; }
id -u "$U" >/dev/null 2>&1 || fail "$(hostname) has no user $U (setup.user) yet: run hoist setup first"
[ -d "$D"/current ] || fail "nothing is deployed on $(hostname) yet ($D/current does not exist): run hoist deploy first"
if [ "$(id -u)" = 0 ]; then via=setpriv; as_app() { setpriv --reuid="$(id -u "$U")" --regid="$(id -g "$U")" --init-groups --reset-env -- "$@"; }
else via=sudo; as_app() { sudo -n -u "$U" -- "$@"; }; fi
env_value() {
  [ -f "$2" ] && [ -r "$2" ] || return 0
  local v
  v=$(sed -n "s/^\(export[[:space:]]\{1,\}\)\{0,1\}$1=//p" "$2" | tail -n 1) || true
  v=${v%$'\r'}; v=${v%"${v##*[![:space:]]}"}
  case "$v" in \"*\") v=${v#\"}; v=${v%\"} ;; \'*\') v=${v#\'}; v=${v%\'} ;; esac
  printf '%s' "$v"
}
owner_url=$(env_value MIGRATE_DATABASE_URL "$D"/.env.migrate)
[ -n "$owner_url" ] || fail "--owner: $D/.env.migrate on $(hostname) has no MIGRATE_DATABASE_URL that $(id -un) can read; hoist setup writes it when setup.database is set"
as_app find /tmp -maxdepth 1 -name 'hoist-run.*' -user "$U" -mmin +60 -delete 2>/dev/null || true
f=$(as_app mktemp /tmp/hoist-run.XXXXXXXXXX 2>&1) || fail "cannot become $U on $(hostname) ($f): hoist run needs to log in as root, or as a user with passwordless sudo to $U"
{ printf 'owner_url=%q\n' "$owner_url"; printf '%s' 'hoist_main() {
set -euo pipefail
rm -f -- "$0"
export HOIST_RUN="$0"
D=/srv/myapp
cd "$D"/current
hoist_env="$D"/shared/.env; hoist_n=0; hoist_re='\''^(export +)?([A-Za-z_][A-Za-z0-9_]*) *= *(.*)$'\''
if [ -f "$hoist_env" ]; then
  while IFS= read -r hoist_l || [ -n "$hoist_l" ]; do
    hoist_n=$((hoist_n + 1)); hoist_l=${hoist_l%$'\''\r'\''}; hoist_l=${hoist_l#"${hoist_l%%[![:space:]]*}"}; hoist_l=${hoist_l%"${hoist_l##*[![:space:]]}"}
    case $hoist_l in '\'''\'' | '\''#'\''*) continue ;; esac
    if [[ $hoist_l =~ $hoist_re ]]; then
      hoist_v=${BASH_REMATCH[3]}
      if [ ${#hoist_v} -ge 2 ] && { [[ $hoist_v == \"*\" ]] || [[ $hoist_v == \'\''*\'\'' ]]; }; then hoist_v=${hoist_v:1:${#hoist_v}-2}; fi
      export "${BASH_REMATCH[2]}=$hoist_v"
    else echo "hoist run: $hoist_env:$hoist_n is not a NAME=value line; skipped" >&2; fi
  done < "$hoist_env"
fi
unset hoist_env hoist_n hoist_re hoist_l hoist_v
export DJANGO_SETTINGS_MODULE=myapp.settings
export API_KEY='\''[REDACTED]'\''
export HOIST_APP=myapp HOIST_RELEASE="$(basename "$(readlink -f .)")" HOIST_DEPLOY_TO="$D"
export HOIST_RELEASE_PATH="$(readlink -f .)" HOIST_REVISION="$(cat REVISION 2>/dev/null || true)"
export DATABASE_URL="$owner_url"; unset owner_url
set +e +u +o pipefail
eval '\''flask shell'\''
}
hoist_main; exit $?
' ; } | as_app tee -- "$f" >/dev/null || { as_app rm -f -- "$f"; fail "cannot write $f as $U on $(hostname)"; }
echo "::hoist-NONCE:: run_uid=$(id -u "$U")"
echo "::hoist-NONCE:: run_gid=$(id -g "$U")"
echo "::hoist-NONCE:: run_via=$via"
echo "::hoist-NONCE:: run_file=$f"