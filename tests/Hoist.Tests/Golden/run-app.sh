rm -f -- "$0"
export HOIST_RUN="$0"
D=/srv/myapp
cd "$D"/current
hoist_env="$D"/shared/.env; hoist_n=0; hoist_re='^(export +)?([A-Za-z_][A-Za-z0-9_]*) *= *(.*)$'
if [ -f "$hoist_env" ]; then
  while IFS= read -r hoist_l || [ -n "$hoist_l" ]; do
    hoist_n=$((hoist_n + 1)); hoist_l=${hoist_l%$'\r'}; hoist_l=${hoist_l#"${hoist_l%%[![:space:]]*}"}; hoist_l=${hoist_l%"${hoist_l##*[![:space:]]}"}
    case $hoist_l in '' | '#'*) continue ;; esac
    if [[ $hoist_l =~ $hoist_re ]]; then
      hoist_v=${BASH_REMATCH[3]}
      if [ ${#hoist_v} -ge 2 ] && { [[ $hoist_v == \"*\" ]] || [[ $hoist_v == \'*\' ]]; }; then hoist_v=${hoist_v:1:${#hoist_v}-2}; fi
      export "${BASH_REMATCH[2]}=$hoist_v"
    else echo "hoist run: $hoist_env:$hoist_n is not a NAME=value line; skipped" >&2; fi
  done < "$hoist_env"
fi
unset hoist_env hoist_n hoist_re hoist_l hoist_v
export DJANGO_SETTINGS_MODULE=myapp.settings
export API_KEY='[REDACTED]'
export HOIST_APP=myapp HOIST_RELEASE="$(basename "$(readlink -f .)")" HOIST_DEPLOY_TO="$D"
export HOIST_RELEASE_PATH="$(readlink -f .)" HOIST_REVISION="$(cat REVISION 2>/dev/null || true)"
set +e +u +o pipefail
eval 'python3 manage.py createsuperuser'