D="$HOME"/'apps/my app'
problems=0
for t in bash tar; do if ! command -v "$t" >/dev/null 2>&1; then echo "$t is not installed"; problems=1; fi; done
if ! command -v git >/dev/null 2>&1; then echo 'git is not installed; install it (Debian: apt-get install git)'; problems=1; fi
if ! { mkdir -p "$D"/.hoist && touch "$D"/.hoist/.check && rm -f "$D"/.hoist/.check; } 2>/dev/null; then
  echo "$D is not writable by $(id -un)"; problems=1
fi
G=/srv/git/app.git; export GIT_ALLOW_PROTOCOL=ssh:https:http:git:file
if command -v git >/dev/null 2>&1 && ! git_error=$(git ls-remote --exit-code -- "$G" main 2>&1 >/dev/null); then
  echo 'cannot read branch '\''main'\'' of /srv/git/app.git from this host'"${git_error:+: $git_error}"; problems=1
fi
exit "$problems"