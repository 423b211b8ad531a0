#!/usr/bin/env bash
# Hoist vs Capistrano 3: first deploy and no-op redeploy of the same small git repo,
# to the same throw-away sshd on 127.0.0.1, timed with hyperfine.
#
#   bench/deploy.sh                      # run as root from the repo root (or anywhere)
#
# Environment knobs:
#   HOIST_BENCH_RUNS=10       timed runs per tool and case (default 10)
#   HOIST_BENCH_CAP_ONLY=1    skip building/measuring Hoist (measures Capistrano alone)
#   HOIST_BENCH_BASHRC=1      let root's ~/.bashrc run for every SSH command (see below)
#   HOIST_BENCH_KEEP=1        keep sshd running and print how to reach it, instead of exiting
#   HOIST_BENCH_HOSTS=20      hosts of the many-hosts case (default 20; 0 skips it)
#
# The many-hosts case (Hoist alone): a no-op redeploy to HOIST_BENCH_HOSTS sshd on 127.0.0.1 (each its
# own port, host key and home) next to the same redeploy to one of them, printed as a ratio; goal <= 1.3,
# since hosts are worked on in parallel. Those sshd share this machine's cores, so the case also prints
# its floor here (OpenSSH's `ssh true` to every host at once vs to one) and where the CPU goes (Hoist's
# own, and the hosts' sshd, bash and git): on real hosts only Hoist's own share stays on this machine.
#
# Everything it makes lives in bench/.work/ (gitignored): sshd keys/config/log, the bare
# repository, the Capistrano project, both deploy targets, the Hoist build, the results.
#
# About root's ~/.bashrc (see /work/shared/DESIGN.md, "Facts learned on these machines"):
# bash sources ~/.bashrc for every command sshd runs, and root's here runs `pyenv init`
# (~90 ms). By default this sshd has `SetEnv SHLVL=1`, which makes bash skip it, for BOTH
# tools alike: the numbers then measure the tools (connections, channels, their own start-up)
# rather than one machine's unusual shell set-up; a stock Debian/Ubuntu ~/.bashrc returns
# early for non-interactive shells anyway. The channel counts printed at the end show what each
# tool would pay on a host with a slow shell start-up (channels x start-up). Set
# HOIST_BENCH_BASHRC=1 to drop SetEnv and measure with the 90 ms per channel included.
set -euo pipefail

RUNS="${HOIST_BENCH_RUNS:-10}"
CAP_ONLY="${HOIST_BENCH_CAP_ONLY:-0}"
WITH_BASHRC="${HOIST_BENCH_BASHRC:-0}"
KEEP="${HOIST_BENCH_KEEP:-0}"

GOAL_NOOP=0.33
GOAL_FIRST=0.5
MANY="${HOIST_BENCH_HOSTS:-20}"
GOAL_MANY=1.3

# The exact sshd (OpenSSH 9.2, LogLevel VERBOSE) line for one exec channel is
#   "Starting session: command for root from 127.0.0.1 port 40312 id 0"
# (shells log "Starting session: shell ...", sftp "Starting session: subsystem 'sftp' ...").
EXEC_LINE='Starting session: command for '

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work"

HOIST_BIN_DIR="$WORK/hoist-bin"
HOIST_CONFIG="$WORK/hoist.yml"
CAP_DIR="$WORK/cap"
CAP_TARGET="$WORK/cap-target"
HOIST_TARGET="$WORK/hoist-target"
BARE_REPO="$WORK/app.git"
SSH_DIR="$WORK/ssh"
CLIENT_KEY="$SSH_DIR/client_ed25519"
KNOWN_HOSTS="$SSH_DIR/known_hosts"
SSHD_LOG="$WORK/sshd.log"
RESULTS="$WORK/results"

PY=/usr/bin/python3
[[ -x $PY ]] || PY="$(command -v python3)"

BENCH_NAME=bench/deploy.sh
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- the two tools' invocations (one place each, easy to adjust) ---------------------------
# Both run from the repo root; output goes to whatever the caller redirects it to.
hoist_deploy_cmd() { printf '%q deploy -c %q' "$HOIST_BIN_DIR/hoist" "$HOIST_CONFIG"; }
cap_deploy_cmd()   { printf 'cd %q && cap bench deploy' "$CAP_DIR"; }

# Wipe a deploy folder back to "never deployed", except for the shared/.env that the operator
# puts there before the first deploy (Capistrano's check:linked_files insists on it; Hoist gets
# the same so the two start from the same state).
reset_target_cmd() {
  local t=$1
  printf 'rm -rf %q && mkdir -p %q && install -m 600 /dev/null %q' \
    "$t" "$t/shared" "$t/shared/.env"
}

# ---- preconditions -------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "run as root (it starts an sshd and deploys as root over SSH)"

ensure_packages hyperfine capistrano openssh-server openssh-client git
[[ -x $PY ]] || die "python3 is needed to read hyperfine's JSON"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "HOIST_BENCH_RUNS must be a positive integer (got '$RUNS')"
[[ $MANY =~ ^[0-9]+$ ]] || die "HOIST_BENCH_HOSTS must be a number (got '$MANY')"

# ---- work dir ------------------------------------------------------------------------------
# Keep hoist-bin between runs (dotnet publish is incremental); everything else starts fresh.
mkdir -p "$WORK"
find "$WORK" -mindepth 1 -maxdepth 1 ! -name hoist-bin -exec rm -rf {} +
mkdir -p "$SSH_DIR" "$RESULTS"

# ---- build Hoist first, so a broken build fails fast ---------------------------------------
if [[ $CAP_ONLY != 1 ]]; then
  command -v dotnet >/dev/null || die "dotnet is not installed (needed to build Hoist); HOIST_BENCH_CAP_ONLY=1 skips Hoist"
  say "building Hoist (dotnet publish src/Hoist -c Release -o bench/.work/hoist-bin)"
  if ! (cd "$REPO_ROOT" && dotnet publish src/Hoist -c Release -o "$HOIST_BIN_DIR") \
      >"$WORK/hoist-build.log" 2>&1; then
    tail -n 30 "$WORK/hoist-build.log" >&2
    die "Hoist does not build yet (full log: bench/.work/hoist-build.log).
  Nothing was measured. HOIST_BENCH_CAP_ONLY=1 bench/deploy.sh measures Capistrano alone."
  fi
  [[ -x $HOIST_BIN_DIR/hoist ]] || die "dotnet publish succeeded but $HOIST_BIN_DIR/hoist is missing"
fi

# ---- sshd on 127.0.0.1, free port, own host key --------------------------------------------
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$SSH_DIR/host_ed25519" >/dev/null
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$CLIENT_KEY" >/dev/null
cp "$CLIENT_KEY.pub" "$SSH_DIR/authorized_keys"
chmod 600 "$SSH_DIR/authorized_keys"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1-2 "$SSH_DIR/host_ed25519.pub")" >"$KNOWN_HOSTS"

setenv_line='SetEnv SHLVL=1'
[[ $WITH_BASHRC == 1 ]] && setenv_line='# SetEnv SHLVL=1 left out: HOIST_BENCH_BASHRC=1'

# sshd re-executes itself: absolute paths only (DESIGN.md).
cat >"$SSH_DIR/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519
PidFile $WORK/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
$setenv_line
Subsystem sftp internal-sftp
EOF

mkdir -p /run/sshd
SSHD_PID=
MANY_PIDS=()
cleanup() {
  local rc=$? pid
  for pid in "$SSHD_PID" "${MANY_PIDS[@]}"; do
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

/usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd rejected $SSH_DIR/sshd_config"
/usr/sbin/sshd -D -f "$SSH_DIR/sshd_config" -E "$SSHD_LOG" &
SSHD_PID=$!

ssh_opts=(-p "$PORT" -i "$CLIENT_KEY" -o IdentitiesOnly=yes -o BatchMode=yes
          -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$KNOWN_HOSTS"
          -o GlobalKnownHostsFile=/dev/null)
for _ in $(seq 50); do
  ssh "${ssh_opts[@]}" root@127.0.0.1 true 2>/dev/null && break
  kill -0 "$SSHD_PID" 2>/dev/null || die "sshd exited; see $SSHD_LOG"
  sleep 0.1
done
ssh "${ssh_opts[@]}" root@127.0.0.1 true || die "cannot log in to the bench sshd on port $PORT; see $SSHD_LOG"
say "sshd pid $SSHD_PID on 127.0.0.1:$PORT (log bench/.work/sshd.log)"

# ---- the repository both tools deploy: a bare repo with a couple of commits ----------------
src="$WORK/app-src"
mkdir -p "$src/static"
g() { git -C "$src" -c user.name=Bench -c user.email=bench@example.invalid "$@"; }
git init -q -b main "$src"
cat >"$src/wsgi.py" <<'EOF'
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from the bench app\n"]
EOF
printf 'flask\n' >"$src/requirements.txt"
printf '# bench app\n\nA tiny app for bench/deploy.sh.\n' >"$src/README.md"
g add -A && g commit -q -m "first commit"
printf 'body { font-family: sans-serif; }\n' >"$src/static/site.css"
printf '\nServes static/site.css.\n' >>"$src/README.md"
g add -A && g commit -q -m "add a stylesheet"
git clone -q --bare "$src" "$BARE_REPO"
HEAD_SHA="$(git -C "$BARE_REPO" rev-parse main)"

# ---- Capistrano project --------------------------------------------------------------------
mkdir -p "$CAP_DIR/config/deploy"
fill() {
  sed -e "s#@WORK@#$WORK#g" -e "s#@REPO@#$BARE_REPO#g" -e "s#@PORT@#$PORT#g" \
      -e "s#@KEY@#$CLIENT_KEY#g" -e "s#@KNOWN_HOSTS@#$KNOWN_HOSTS#g" "$1" >"$2"
}
fill "$BENCH_DIR/capistrano/Capfile" "$CAP_DIR/Capfile"
fill "$BENCH_DIR/capistrano/config/deploy.rb" "$CAP_DIR/config/deploy.rb"
fill "$BENCH_DIR/capistrano/config/deploy/bench.rb" "$CAP_DIR/config/deploy/bench.rb"

# ---- Hoist config --------------------------------------------------------------------------
cat >"$HOIST_CONFIG" <<EOF
app: bench
repo: $BARE_REPO
branch: main
deploy_to: $HOIST_TARGET
keep_releases: 5
hosts:
  web: [127.0.0.1:$PORT]
ssh: { user: root, key: $CLIENT_KEY, known_hosts: $KNOWN_HOSTS }
shared: [media, .env]
EOF

# ---- one checked deploy by hand per tool (catches a broken set-up before hyperfine) --------
check_deployed() { # name target
  local name=$1 t=$2 cur
  [[ -L $t/current ]] || die "$name: $t/current is not a symlink after deploying"
  cur="$(readlink -f "$t/current")"
  [[ -f $cur/wsgi.py && -f $cur/static/site.css ]] || die "$name: $cur lacks the app's files"
  [[ -L $cur/.env || -f $cur/.env ]] || die "$name: $cur/.env (shared) is missing"
  [[ -e $cur/media ]] || die "$name: $cur/media (shared) is missing"
  if [[ -f $cur/REVISION ]]; then
    [[ $(<"$cur/REVISION") == "$HEAD_SHA"* ]] || die "$name: $cur/REVISION is not $HEAD_SHA"
  fi
}
run_checked() { # name command-string logfile
  local name=$1 cmd=$2 log=$3
  if ! (cd "$REPO_ROOT" && bash -c "$cmd") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "$name deploy failed (full output: ${log#"$REPO_ROOT"/})"
  fi
}

tools=(capistrano)
[[ $CAP_ONLY == 1 ]] || tools+=(hoist)
target_of() { [[ $1 == hoist ]] && echo "$HOIST_TARGET" || echo "$CAP_TARGET"; }
cmd_of()    { [[ $1 == hoist ]] && hoist_deploy_cmd || cap_deploy_cmd; }

for t in "${tools[@]}"; do
  say "$t: first deploy by hand, then a no-op redeploy"
  bash -c "$(reset_target_cmd "$(target_of "$t")")"
  run_checked "$t" "$(cmd_of "$t")" "$RESULTS/$t-first.log"
  check_deployed "$t" "$(target_of "$t")"
  run_checked "$t" "$(cmd_of "$t")" "$RESULTS/$t-noop.log"
  check_deployed "$t" "$(target_of "$t")"
done

# ---- SSH exec channels of one no-op redeploy, from the sshd log ----------------------------
count_channels() { # name -> "exec sftp connections"
  local name=$1 mark
  sleep 0.3                       # let sshd children finish writing earlier lines
  mark=$(wc -l <"$SSHD_LOG")
  run_checked "$name" "$(cmd_of "$name")" "$RESULTS/$name-count.log"
  sleep 0.3
  tail -n +"$((mark + 1))" "$SSHD_LOG" >"$RESULTS/$name-noop-sshd.log"
  printf '%s %s %s\n' \
    "$(grep -c -F "$EXEC_LINE" "$RESULTS/$name-noop-sshd.log" || true)" \
    "$(grep -c -F "Starting session: subsystem" "$RESULTS/$name-noop-sshd.log" || true)" \
    "$(grep -c -F "Accepted publickey" "$RESULTS/$name-noop-sshd.log" || true)"
}
declare -A chan
for t in "${tools[@]}"; do
  chan[$t]="$(count_channels "$t")"
done

# ---- hyperfine -----------------------------------------------------------------------------
hf_first=(hyperfine --runs "$RUNS" --export-json "$RESULTS/first.json" --style basic)
hf_noop=(hyperfine --runs "$RUNS" --warmup 1 --export-json "$RESULTS/noop.json" --style basic)
for t in "${tools[@]}"; do
  hf_first+=(-n "$t" --prepare "$(reset_target_cmd "$(target_of "$t")")" "$(cmd_of "$t")")
  hf_noop+=(-n "$t" "$(cmd_of "$t")")
done

say "hyperfine: first deploy to an empty folder ($RUNS runs each)"
(cd "$REPO_ROOT" && "${hf_first[@]}")
# The last first-deploy run left a deployed target per tool; no-op redeploys start from there.
say "hyperfine: no-op redeploy, same commit ($RUNS runs each, 1 warm-up)"
(cd "$REPO_ROOT" && "${hf_noop[@]}")

# ---- summary -------------------------------------------------------------------------------
summary="$("$PY" - "$RESULTS/first.json" "$RESULTS/noop.json" "$GOAL_FIRST" "$GOAL_NOOP" <<'PYEOF'
import json, sys
first, noop, goal_first, goal_noop = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
def means(path):
    with open(path) as f:
        return {r["command"]: (r["mean"], r["stddev"] or 0.0) for r in json.load(f)["results"]}
for label, path, goal in (("first deploy  ", first, goal_first), ("no-op redeploy", noop, goal_noop)):
    m = means(path)
    cap, cap_sd = m["capistrano"]
    if "hoist" in m:
        h, h_sd = m["hoist"]
        ratio = h / cap
        verdict = "MET" if ratio <= goal else "MISSED"
        print(f"{label}: hoist {h:.3f}s (±{h_sd:.3f})  capistrano {cap:.3f}s (±{cap_sd:.3f})  "
              f"ratio {ratio:.2f} (goal <= {goal:g}, {verdict})")
    else:
        print(f"{label}: capistrano {cap:.3f}s (±{cap_sd:.3f})  (hoist not measured)")
PYEOF
)"

{
  echo
  echo "Hoist vs Capistrano $(cap --version 2>/dev/null | sed -n 's/^Capistrano Version: \([^ ]*\).*/\1/p'), sshd 127.0.0.1:$PORT, $RUNS runs, commit ${HEAD_SHA:0:12}"
  if [[ $WITH_BASHRC == 1 ]]; then
    echo "root's ~/.bashrc RUNS for every SSH command (HOIST_BENCH_BASHRC=1)"
  else
    echo "root's ~/.bashrc skipped for both tools (sshd SetEnv SHLVL=1)"
  fi
  echo "$summary"
  echo "SSH channels for one no-op redeploy (sshd log, \"${EXEC_LINE% for }\" lines):"
  for t in "${tools[@]}"; do
    read -r e s c <<<"${chan[$t]}"
    printf '  %-10s exec channels %3d   sftp sessions %d   connections %d\n' "$t" "$e" "$s" "$c"
  done
} | tee "$RESULTS/summary.txt"

# ---- many hosts: one no-op redeploy to $MANY sshd vs to one of them (Hoist only) ------------
if [[ $CAP_ONLY != 1 && $MANY -gt 0 ]]; then
  say "many hosts: starting $MANY sshd on 127.0.0.1"
  many_dir="$WORK/many"
  mkdir -p "$many_dir"
  : >"$many_dir/known_hosts"
  addresses=()
  for i in $(seq "$MANY"); do
    h="$many_dir/h$i"
    mkdir -p "$h/home/app/shared"
    install -m 600 /dev/null "$h/home/app/shared/.env"
    port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    ssh-keygen -q -t ed25519 -N '' -C "bench-host-$i" -f "$h/host_ed25519" >/dev/null
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1-2 "$h/host_ed25519.pub")" >>"$many_dir/known_hosts"
    # Each host its own HOME, so `~/app` is a separate deploy_to on the one file system.
    env_line="SetEnv SHLVL=1 HOME=$h/home"
    [[ $WITH_BASHRC == 1 ]] && env_line="SetEnv HOME=$h/home"
    printf '%s\n' "Port $port" "ListenAddress 127.0.0.1" "HostKey $h/host_ed25519" "PidFile $h/sshd.pid" \
      "AuthorizedKeysFile $SSH_DIR/authorized_keys" "PermitRootLogin prohibit-password" "PasswordAuthentication no" \
      "KbdInteractiveAuthentication no" "UsePAM no" "StrictModes no" "MaxStartups 100" "$env_line" >"$h/sshd_config"
    /usr/sbin/sshd -D -f "$h/sshd_config" -E "$h/sshd.log" &
    MANY_PIDS+=($!)
    addresses+=("127.0.0.1:$port")
  done
  many_config() { # file host...
    local file=$1; shift
    local list; list="$(printf '%s, ' "$@")"
    printf '%s\n' "app: bench" "repo: $BARE_REPO" "branch: main" "deploy_to: ~/app" "hosts:" "  web: [${list%, }]" \
      "ssh: { user: root, key: $CLIENT_KEY, known_hosts: $many_dir/known_hosts }" "shared: [media, .env]" >"$file"
  }
  many_config "$many_dir/one.yml" "${addresses[0]}"
  many_config "$many_dir/all.yml" "${addresses[@]}"
  for a in "${addresses[@]}"; do
    for _ in $(seq 50); do
      ssh -p "${a##*:}" -i "$CLIENT_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
        -o UserKnownHostsFile="$many_dir/known_hosts" -o GlobalKnownHostsFile=/dev/null root@127.0.0.1 true 2>/dev/null && break
      sleep 0.1
    done
  done
  run_checked hoist "$(printf '%q deploy -c %q' "$HOIST_BIN_DIR/hoist" "$many_dir/all.yml")" "$RESULTS/many-first.log"
  say "hyperfine: no-op redeploy to 1 host and to $MANY hosts ($RUNS runs each, 1 warm-up)"
  (cd "$REPO_ROOT" && hyperfine --runs "$RUNS" --warmup 1 --export-json "$RESULTS/many.json" --style basic \
    -n one "$(printf '%q deploy -c %q' "$HOIST_BIN_DIR/hoist" "$many_dir/one.yml")" \
    -n many "$(printf '%q deploy -c %q' "$HOIST_BIN_DIR/hoist" "$many_dir/all.yml")")
  "$PY" - "$RESULTS/many.json" "$MANY" "$GOAL_MANY" <<'PYEOF' | tee -a "$RESULTS/summary.txt"
import json, sys
path, hosts, goal = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with open(path) as f:
    m = {r["command"]: r["mean"] for r in json.load(f)["results"]}
ratio = m["many"] / m["one"]
print(f"no-op redeploy, {hosts} hosts vs 1: {m['many']:.3f}s vs {m['one']:.3f}s  "
      f"ratio {ratio:.2f} (goal <= {goal:g}, {'MET' if ratio <= goal else 'MISSED'})")
PYEOF

  # The floor of that ratio here: every "host" is an sshd on this machine's own cores, so the hosts' work (sshd, bash,
  # git) competes with Hoist and with each other. OpenSSH's ssh running `true` on each host at once, interleaved
  # with the same on one host, shows what a connection alone costs at this scale; the CPU split says where it goes.
  cat >"$many_dir/ssh-true" <<SSHTRUE
#!/usr/bin/env bash
# ssh true to each port given, all at once
for p in "\$@"; do
  ssh -p "\$p" -i '$CLIENT_KEY' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \\
    -o UserKnownHostsFile='$many_dir/known_hosts' -o GlobalKnownHostsFile=/dev/null root@127.0.0.1 true &
done
wait
SSHTRUE
  chmod +x "$many_dir/ssh-true"
  ports=("${addresses[@]##*:}")
  say "the floor: ssh true on 1 host and on $MANY hosts at once ($RUNS runs each, 1 warm-up)"
  hyperfine --runs "$RUNS" --warmup 1 --export-json "$RESULTS/many-floor.json" --style basic \
    -n one "$many_dir/ssh-true ${ports[0]}" -n many "$many_dir/ssh-true ${ports[*]}"
  # CPU seconds of one run: the command's own (its children's rusage) and the whole machine's (/proc/stat).
  cpu_split() { # name command...
    local name=$1 b0 b1 own; shift
    b0=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
    /usr/bin/time -f '%U %S' -o "$RESULTS/cpu.time" "$@" >/dev/null 2>&1
    b1=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
    own=$(awk '{print $1+$2}' "$RESULTS/cpu.time")
    printf '%s %s %s\n' "$name" "$own" "$(awk -v a="$b0" -v b="$b1" -v t="$(getconf CLK_TCK)" 'BEGIN{print (b-a)/t}')"
  }
  : >"$RESULTS/many-cpu.txt"
  for _ in 1 2 3; do
    cpu_split one "$HOIST_BIN_DIR/hoist" deploy -c "$many_dir/one.yml" >>"$RESULTS/many-cpu.txt"
    cpu_split many "$HOIST_BIN_DIR/hoist" deploy -c "$many_dir/all.yml" >>"$RESULTS/many-cpu.txt"
  done
  "$PY" - "$RESULTS/many-floor.json" "$RESULTS/many-cpu.txt" "$MANY" "$GOAL_MANY" "$(nproc)" <<'PYEOF' | tee -a "$RESULTS/summary.txt"
import json, sys
floor_path, cpu_path, hosts, goal, cores = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
with open(floor_path) as f:
    m = {r["command"]: r["mean"] for r in json.load(f)["results"]}
floor = m["many"] / m["one"]
print(f"the floor here, ssh true on {hosts} hosts vs 1: {m['many']:.3f}s vs {m['one']:.3f}s  ratio {floor:.2f}"
      f"{' (above the goal: on one machine with ' + str(cores) + ' cores, not even a bare connection to each host meets it)' if floor > goal else ''}")
runs = {"one": [], "many": []}
with open(cpu_path) as f:
    for line in f:
        name, own, machine = line.split()
        runs[name].append((float(own), float(machine)))
for name, label in (("one", "1 host"), ("many", f"{hosts} hosts")):
    own = sum(r[0] for r in runs[name]) / len(runs[name])
    machine = sum(r[1] for r in runs[name]) / len(runs[name])
    print(f"CPU of one no-op redeploy to {label}: hoist {own:.2f}s, the hosts (sshd, bash, git) {max(0, machine - own):.2f}s;"
          f" on {cores} cores that is at least {machine / cores:.2f}s of wall time")
PYEOF
fi

if [[ $KEEP == 1 ]]; then
  say "HOIST_BENCH_KEEP=1: sshd stays up until you press Enter"
  echo "  ssh ${ssh_opts[*]} root@127.0.0.1" >&2
  read -r _ || true
fi
