#!/usr/bin/env bash
# hoist serve vs Debian's uWSGI vs gunicorn: the same Flask app, 5 workers each, behind the same
# nginx on 127.0.0.1, loaded with wrk. For each server: a steady run (requests/s, p99) and a run
# with a graceful reload every 5 s (failed and non-2xx responses, from wrk and nginx's access log).
#
#   bench/serve.sh            # as root on Debian 12, from anywhere; about 3 minutes
#
# Environment knobs:
#   HOIST_BENCH_STEADY=15          seconds of the steady wrk run (after a 3 s warm-up run)
#   HOIST_BENCH_RELOAD_RUN=25      seconds of the wrk run with reloads (reloads at 5, 10, 15, ... s)
#   HOIST_BENCH_RELOAD_EVERY=5     seconds between reloads
#   HOIST_BENCH_CONNS=32           wrk connections (-c); HOIST_BENCH_THREADS=2 wrk threads (-t)
#   HOIST_BENCH_SERVERS="hoist uwsgi gunicorn"   which servers, in this order
#   HOIST_BENCH_NO_BUILD=1         use bench/.work/serve-bin as it is (no dotnet publish)
#   HOIST_BENCH_HOIST_ENV="A=1 B=2"  extra environment for hoist serve (e.g. DOTNET_ runtime knobs)
#   HOIST_BENCH_HOG_ROUNDS=2       rounds of the CPU-saturated phase (each: every server in turn, 0 = skip)
#   HOIST_BENCH_HOG_RUN=20         seconds of each server's wrk run with reloads under the CPU hog
#   HOIST_BENCH_KEEPALIVE=1        nginx keeps connections to hoist serve open (upstream keepalive,
#                                  HTTP/1.1); the default is the seed's plain proxy_pass, as for the others
#
# What each server gets (see bench/README.md, "App server benchmark"):
#   hoist    hoist serve --ini (the seed's ini, paths changed, + healthcheck = /up);
#            nginx proxy_pass http://unix:SOCK: ; reloads alternate touch-reload / SIGHUP /
#            hoist serve --reload
#   uwsgi    /usr/bin/uwsgi --ini (the seed's ini, paths changed, plugins = python3);
#            nginx uwsgi_pass unix:SOCK; include uwsgi_params; reloads by touch-reload
#   gunicorn gunicorn -w 5 (sync) on a unix socket; nginx proxy_pass; reloads by SIGHUP
#
# Everything it makes lives in bench/.work/serve/ (gitignored, recreated each run); Hoist is built
# into bench/.work/serve-bin/. nginx, the servers and the reload loops are stopped on exit, also on
# failure or Ctrl-C.
set -euo pipefail
# The whole script is one { ... } block: bash reads it entirely before running it, so editing this
# file while a run is under way cannot change what that run executes.
{

# Debian's python3/gunicorn/uwsgi, never a pyenv or venv shim that happens to be first on PATH.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

STEADY="${HOIST_BENCH_STEADY:-15}"
RELOAD_RUN="${HOIST_BENCH_RELOAD_RUN:-25}"
RELOAD_EVERY="${HOIST_BENCH_RELOAD_EVERY:-5}"
CONNS="${HOIST_BENCH_CONNS:-32}"
THREADS="${HOIST_BENCH_THREADS:-2}"
SERVERS="${HOIST_BENCH_SERVERS:-hoist uwsgi gunicorn}"
NO_BUILD="${HOIST_BENCH_NO_BUILD:-0}"
HOIST_ENV="${HOIST_BENCH_HOIST_ENV:-}"
KEEPALIVE="${HOIST_BENCH_KEEPALIVE:-0}"
HOG_ROUNDS="${HOIST_BENCH_HOG_ROUNDS:-2}"
HOG_RUN="${HOIST_BENCH_HOG_RUN:-20}"
WORKERS=5
# Warm-up before the steady run; hoist serve's JIT (tiered PGO) is still busy for a few seconds.
WARMUP=6
# wrk's own timeout: a response slower than this is counted as "slow" (it still completes).
WRK_TIMEOUT=5s

# Goals (issue 3).
GOAL_RPS_RATIO=0.90
GOAL_P99_RATIO=1.5
GOAL_RSS_MIB=80

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work/serve"
BIN_DIR="$BENCH_DIR/.work/serve-bin"
HOIST="$BIN_DIR/hoist"
RESULTS="$WORK/results"
PY=/usr/bin/python3

BENCH_NAME=bench/serve.sh
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- preconditions -------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "run as root (it starts nginx and installs packages when missing)"
for v in STEADY RELOAD_RUN RELOAD_EVERY CONNS THREADS HOG_RUN; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "HOIST_BENCH_$v must be a positive integer (got '${!v}')"
done
[[ $HOG_ROUNDS =~ ^[0-9]+$ ]] || die "HOIST_BENCH_HOG_ROUNDS must be 0 or a positive integer (got '$HOG_ROUNDS')"
for s in $SERVERS; do
  [[ $s == hoist || $s == uwsgi || $s == gunicorn ]] || die "unknown server '$s' in HOIST_BENCH_SERVERS"
done

ensure_packages nginx uwsgi uwsgi-plugin-python3 gunicorn python3-flask wrk curl
[[ -x $PY ]] || die "/usr/bin/python3 is missing"

# ---- cleanup: everything this script started, by pid -----------------------------------------
SERVER=          # the server now running: hoist, uwsgi or gunicorn
SERVER_PID=      # its main process (hoist serve, the uWSGI master, the gunicorn master)
NGINX_PID=
BG_PIDS=()       # reload loops
HOG_PIDS=()      # the CPU hog's busy loops (each a `timeout`, its loop a child)
PHASE=           # empty for the reload run, hog-N for round N of the CPU-saturated phase
WRK_PID=

# Processes still running from this run's work dir (a server's workers that outlived it).
leftovers() {
  local p cmd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" || $p == "$NGINX_PID" ]] && continue
    cmd="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" || continue
    [[ $cmd == *"$WORK/"* && $cmd != *"bench/serve.sh"* ]] && echo "$p"
  done
  return 0
}

stop_pid() {   # stop_pid PID SECONDS: SIGTERM, wait, SIGKILL
  local pid=$1 grace=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not stop within ${grace}s of SIGTERM; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  stop_pid "$SERVER_PID" 35
  SERVER_PID=
  local left
  left="$(leftovers)"
  if [[ -n $left ]]; then
    say "$SERVER left processes behind after stopping: $(echo $left); killing them"
    echo "$SERVER: $(echo $left)" >>"$RESULTS/leftovers.txt"
    for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  SERVER=
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in "${BG_PIDS[@]}" $WRK_PID; do kill -TERM "$p" 2>/dev/null || true; done
  stop_hog || true
  stop_server || true
  stop_pid "$NGINX_PID" 10 || true
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build Hoist ---------------------------------------------------------------------------
if [[ $NO_BUILD != 1 ]]; then
  command -v dotnet >/dev/null || die "dotnet is not installed (needed to build Hoist)"
  mkdir -p "$BENCH_DIR/.work"
  say "building Hoist (dotnet publish src/Hoist -c Release -o bench/.work/serve-bin)"
  built=0
  for attempt in 1 2 3; do
    if (cd "$REPO_ROOT" && dotnet publish src/Hoist -c Release -o "$BIN_DIR") >"$BENCH_DIR/.work/serve-build.log" 2>&1; then
      built=1
      break
    fi
    if ((attempt < 3)); then
      say "build attempt $attempt failed (someone may be mid-edit); retrying in 20 s"
      sleep 20
    fi
  done
  if [[ $built != 1 ]]; then
    tail -n 30 "$BENCH_DIR/.work/serve-build.log" >&2
    die "Hoist does not build (full log: bench/.work/serve-build.log); nothing was measured"
  fi
fi
[[ -x $HOIST ]] || die "$HOIST is missing (build it, or leave HOIST_BENCH_NO_BUILD unset)"

# ---- work dir: one home per server, each with the app and the seed's ini ---------------------
rm -rf "$WORK"
mkdir -p "$RESULTS" "$WORK/nginx/logs"
cd "$WORK"
for s in hoist uwsgi gunicorn; do
  mkdir -p "$WORK/$s/myproject"
  cp "$BENCH_DIR/serve/app/main.py" "$BENCH_DIR/serve/app/wsgi.py" "$WORK/$s/myproject/"
  touch "$WORK/$s/reload"
done
for s in hoist uwsgi; do
  sed -e "s|@HOME@|$WORK/$s|" -e "s|@RELOAD@|$WORK/$s/reload|" "$BENCH_DIR/serve/seed.ini.in" >"$WORK/$s/$s.ini"
done
# hoist serve: a worker is ready once the app answers /up (not merely when gunicorn's port accepts).
printf '\n; hoist serve only\nhealthcheck = /up\n' >>"$WORK/hoist/hoist.ini"
sock_of() { echo "$WORK/$1/myproject.sock"; }

# ---- nginx: one loopback port per server ---------------------------------------------------
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A PORT
for s in hoist uwsgi gunicorn; do PORT[$s]="$(free_port)"; done
[[ ${PORT[hoist]} != "${PORT[uwsgi]}" && ${PORT[uwsgi]} != "${PORT[gunicorn]}" && ${PORT[hoist]} != "${PORT[gunicorn]}" ]] ||
  die "free_port returned the same port twice; run again"

cat >"$WORK/nginx/nginx.conf" <<EOF
# bench/serve.sh: loopback only; one server block per app server, each with its own access log.
user root;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    log_format bench '\$status \$upstream_status \$request_time \$upstream_response_time';
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/tmp-body;
    proxy_temp_path $WORK/nginx/tmp-proxy;
    fastcgi_temp_path $WORK/nginx/tmp-fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp-uwsgi;
    scgi_temp_path $WORK/nginx/tmp-scgi;

    upstream hoist_keepalive {
        server unix:$(sock_of hoist);
        keepalive 32;
    }
    server {   # (a) hoist serve: HTTP on its unix socket
        listen 127.0.0.1:${PORT[hoist]};
        access_log $WORK/nginx/logs/hoist.access.log bench;
        location / {
$(if [[ $KEEPALIVE == 1 ]]; then
  printf '            proxy_pass http://hoist_keepalive;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n'
else
  printf '            proxy_pass http://unix:%s:;\n' "$(sock_of hoist)"
fi)
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
    server {   # (b) uWSGI: the uwsgi protocol, as in the seed chapter
        listen 127.0.0.1:${PORT[uwsgi]};
        access_log $WORK/nginx/logs/uwsgi.access.log bench;
        location / {
            include /etc/nginx/uwsgi_params;
            uwsgi_pass unix:$(sock_of uwsgi);
        }
    }
    server {   # (c) gunicorn: HTTP on its unix socket
        listen 127.0.0.1:${PORT[gunicorn]};
        access_log $WORK/nginx/logs/gunicorn.access.log bench;
        location / {
            proxy_pass http://unix:$(sock_of gunicorn):;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
EOF
for s in hoist uwsgi gunicorn; do : >"$WORK/nginx/logs/$s.access.log"; done
nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" 2>"$WORK/nginx/test.log" ||
  { cat "$WORK/nginx/test.log" >&2; die "nginx rejects the bench config ($WORK/nginx/nginx.conf)"; }
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" -g 'daemon off;' 2>>"$WORK/nginx/logs/error.log" &
NGINX_PID=$!
say "nginx (pid $NGINX_PID): hoist :${PORT[hoist]}, uwsgi :${PORT[uwsgi]}, gunicorn :${PORT[gunicorn]}"

# ---- the servers -----------------------------------------------------------------------------
start_server() {
  local s=$1
  SERVER=$s
  case $s in
    hoist)
      # shellcheck disable=SC2086 # HOIST_BENCH_HOIST_ENV is a list of NAME=value words
      env $HOIST_ENV "$HOIST" serve --ini "$WORK/hoist/hoist.ini" >"$WORK/hoist/stdout.log" 2>&1 &
      ;;
    uwsgi)
      uwsgi --ini "$WORK/uwsgi/uwsgi.ini" >"$WORK/uwsgi/stdout.log" 2>&1 &
      ;;
    gunicorn)
      # 5 sync workers (gunicorn's default worker class), the seed's optimize = 2 as PYTHONOPTIMIZE.
      PYTHONOPTIMIZE=2 gunicorn --workers "$WORKERS" --bind "unix:$(sock_of gunicorn)" \
        --chdir "$WORK/gunicorn/myproject" --pid "$WORK/gunicorn/myproject.pid" \
        --graceful-timeout 30 --log-level info --error-logfile "$WORK/gunicorn/gunicorn.log" \
        wsgi:app >"$WORK/gunicorn/stdout.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  # Ready when a request through nginx answers 200 (60 s at most).
  local i url="http://127.0.0.1:${PORT[$s]}/"
  for ((i = 0; i < 600; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/$s"/*.log >&2 || true; die "$s exited during start-up"; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null) == 200 ]] && break
    sleep 0.1
  done
  ((i < 600)) || { tail -n 20 "$WORK/$s"/*.log >&2 || true; die "$s did not answer 200 through nginx within 60 s"; }
  # uWSGI and gunicorn start their workers lazily enough that the first 200 can come before all
  # 5 are up; give them a moment (hoist serve only listens once its workers are ready).
  sleep 1
  say "$s (pid $SERVER_PID) answers through nginx on :${PORT[$s]}"
}

# wrk NAME SECONDS: writes $RESULTS/NAME.wrk; sets W_* from its WRKRESULT line.
run_wrk() {
  local name=$1 secs=$2 s=$SERVER out
  out="$RESULTS/$name.wrk"
  local c0 c1
  c0="$("$PY" "$BENCH_DIR/serve/cpu.py" $$)"
  # In the background and waited for, so that a signal to this script is handled at once.
  timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --timeout "$WRK_TIMEOUT" --latency \
    -s "$BENCH_DIR/serve/stats.lua" "http://127.0.0.1:${PORT[$s]}/" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { WRK_PID=; cat "$out" >&2; die "wrk failed against $s"; }
  WRK_PID=
  c1="$("$PY" "$BENCH_DIR/serve/cpu.py" $$)"
  # Percent of the machine's CPU that programs outside this bench used during the run.
  W_foreign=$(awk -v a="$c0" -v b="$c1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    t = y[1] - x[1]; f = (y[2] - x[2]) - (y[3] - x[3]); if (f < 0) f = 0; printf "%d", (t > 0 ? 100 * f / t : 0) }')
  echo "foreign_cpu_percent=$W_foreign" >>"$out"
  local line
  line="$(grep '^WRKRESULT ' "$out")" || { cat "$out" >&2; die "no WRKRESULT line in $out"; }
  local kv
  for kv in ${line#WRKRESULT }; do
    printf -v "W_${kv%%=*}" '%s' "${kv#*=}"
  done
}

# Lines of a server's nginx access log written since line N: how many were not 2xx, how many
# 502/504, how many 499. A 499 is nginx's "client closed the connection first": wrk closes its
# connections with requests in flight when its time is up, so each run ends with up to -c of them.
# They are no failure a client saw and are counted apart.
log_lines() { wc -l <"$WORK/nginx/logs/$1.access.log"; }
nginx_counts() {   # nginx_counts SERVER FROM_LINE -> "non2xx(without 499) n502 n504 n499 total"
  tail -n +$(($2 + 1)) "$WORK/nginx/logs/$1.access.log" |
    awk '{ n++ } $1 == 499 { b499++; next } $1 !~ /^2/ { bad++ } $1 == 502 { b502++ } $1 == 504 { b504++ }
         END { printf "%d %d %d %d %d\n", bad, b502, b504, b499, n }'
}

# Percent of CPU time idle over one second (the whole machine: other jobs skew every number).
cpu_idle() {
  local a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ </proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ </proc/stat
  local total=$(( (b1+b2+b3+b4+b5+b6+b7+b8) - (a1+a2+a3+a4+a5+a6+a7+a8) ))
  echo $(( total > 0 ? 100 * ((b4+b5) - (a4+a5)) / total : 100 ))
}

# Before each server's runs: wait (30 s at most) until the machine is at least 90% idle, and
# say so when it is not (run_wrk measures what others used during each run).
wait_quiet() {
  local idle i
  for ((i = 0; i < 30; i++)); do
    idle=$(cpu_idle)
    ((idle >= 90)) && break
  done
  ((idle >= 90)) || say "the machine is busy (only ${idle}% idle with nothing of this bench running); numbers will be noisy"
  echo "$idle"
}

# One reload of the running server; method chosen by the reload's index.
reload_once() {
  local s=$1 i=$2 method
  case $s in
    hoist)
      case $((i % 3)) in
        0) method=touch-reload; touch "$WORK/hoist/reload" ;;
        1) method=SIGHUP; kill -HUP "$SERVER_PID" ;;
        2) method=--reload
           ( rc=0; "$HOIST" serve --ini "$WORK/hoist/hoist.ini" --reload >"$RESULTS/hoist${PHASE:+.$PHASE}.reload-$i.out" 2>&1 || rc=$?
             echo "$rc" >"$RESULTS/hoist${PHASE:+.$PHASE}.reload-$i.rc" ) &
           ;;
      esac
      ;;
    uwsgi) method=touch-reload; touch "$WORK/uwsgi/reload" ;;
    gunicorn) method=SIGHUP; kill -HUP "$SERVER_PID" ;;
  esac
  printf '%s +%ss %s\n' "$(date +%T.%3N)" "$(( (i + 1) * RELOAD_EVERY ))" "$method" >>"$(reloads_file "$s")"
}

reloads_file() { echo "$RESULTS/$1${PHASE:+.$PHASE}.reloads"; }

reload_loop() {   # reload_loop SERVER [SECONDS]: runs in the background during a run with reloads
  local s=$1 run=${2:-$RELOAD_RUN} i=0 start=$SECONDS
  while (( (i + 1) * RELOAD_EVERY < run )); do
    while (( SECONDS - start < (i + 1) * RELOAD_EVERY )); do sleep 0.1; done
    reload_once "$s" "$i"
    i=$((i + 1))
  done
  wait   # hoist serve --reload clients
}

rss_of_pid() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hoist_status() { "$HOIST" serve --ini "$WORK/hoist/hoist.ini" --status --json; }

declare -A R   # results: R[server.key]

bench_server() {
  local s=$1 from counts
  wait_quiet >/dev/null
  start_server "$s"

  say "$s: warm-up (${WARMUP} s)"
  run_wrk "$s.warmup" "$WARMUP"

  say "$s: steady run (wrk -t$THREADS -c$CONNS -d${STEADY}s)"
  from=$(log_lines "$s")
  run_wrk "$s.steady" "$STEADY"
  R[$s.rps]=$W_rps; R[$s.p50]=$W_p50_us; R[$s.p99]=$W_p99_us; R[$s.foreign]=$W_foreign
  R[$s.steady_err]=$((W_connect + W_read + W_write + W_status))
  read -r R[$s.steady_nginx_bad] _ _ _ _ <<<"$(nginx_counts "$s" "$from")"
  R[$s.main_rss]=$(rss_of_pid "$SERVER_PID")
  if [[ $s == hoist ]]; then
    hoist_status >"$RESULTS/hoist.status-steady.json"
    R[hoist.status_rss]=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["rss_bytes"]); print(sum(1 for w in d["workers"] if w["state"].lower()=="ready"), file=sys.stderr)' \
      "$RESULTS/hoist.status-steady.json" 2>"$RESULTS/hoist.ready-steady")
    R[hoist.ready]=$(cat "$RESULTS/hoist.ready-steady")
  fi

  say "$s: run with a reload every ${RELOAD_EVERY} s (wrk -d${RELOAD_RUN}s)"
  : >"$(reloads_file "$s")"
  from=$(log_lines "$s")
  reload_loop "$s" &
  local loop=$!
  BG_PIDS+=("$loop")
  run_wrk "$s.reload" "$RELOAD_RUN"
  local wrk_end
  wrk_end=$(date -u +%H:%M:%S.%3N)
  wait "$loop" || true
  R[$s.rl_foreign]=$W_foreign; R[$s.rl_rps]=$W_rps; R[$s.rl_p99]=$W_p99_us; R[$s.rl_max]=$W_max_us
  R[$s.rl_sock]=$((W_connect + W_read + W_write)); R[$s.rl_status]=$W_status; R[$s.rl_slow]=$W_timeout
  R[$s.rl_requests]=$W_requests
  read -r R[$s.rl_nginx_bad] R[$s.rl_502] R[$s.rl_504] R[$s.rl_499] R[$s.rl_nginx_total] <<<"$(nginx_counts "$s" "$from")"
  R[$s.reloads_asked]=$(wc -l <"$(reloads_file "$s")")

  # How many reloads the server itself reports, each its own way.
  case $s in
    hoist)
      # Touch and SIGHUP do not wait for their reload: let one still under way finish (60 s at most),
      # so the status below is final and stopping does not cut a reload short.
      local i
      for ((i = 0; i < 120; i++)); do
        hoist_status >"$RESULTS/hoist.status-after.json" 2>/dev/null &&
          "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); w=d["workers"]; sys.exit(0 if len(w)=='"$WORKERS"' and all(x["state"]=="ready" for x in w) else 1)' \
            "$RESULTS/hoist.status-after.json" && break
        sleep 0.5
      done
      R[hoist.settle]=$(awk -v n="$i" 'BEGIN { printf "%.1f", n / 2 }')
      # Each reload's span, from hoist serve's log (logto): "reload (...)" to "reloaded:"/"reload failed".
      R[hoist.spans]=$("$PY" - "$WORK/hoist/uwsgi.myproject.log" "$wrk_end" <<'PYEOF'
import re, sys
from datetime import datetime
spans, start = [], None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\S+) \[hoist\] (reload \(|reloaded:|reload failed)", line)
    if not m:
        continue
    at = datetime.strptime(m.group(1)[:23], "%Y-%m-%dT%H:%M:%S.%f")
    if m.group(2) == "reload (":
        start = at
    elif start is not None:
        spans.append("%s-%s (%.1fs%s)" % (start.strftime("%H:%M:%S"), at.strftime("%H:%M:%S"), (at - start).total_seconds(),
                                          "" if m.group(2) == "reloaded:" else ", FAILED"))
        start = None
print(", ".join(spans) + "; wrk stopped at " + sys.argv[2][:8] + " UTC")
PYEOF
)
      sleep 1
      hoist_status >"$RESULTS/hoist.status-after.json"
      R[hoist.reloads_done]=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); lr=d.get("last_reload") or {}; print("%s (gen %s, last ok=%s)" % (d["reloads"], d["generation"], lr.get("ok")))' "$RESULTS/hoist.status-after.json")
      R[hoist.rss_after]=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["rss_bytes"])' "$RESULTS/hoist.status-after.json")
      local bad_rc=0 f
      for f in "$RESULTS"/hoist.reload-[0-9]*.rc; do
        [[ -e $f ]] || continue
        [[ $(cat "$f") == 0 ]] || { bad_rc=$((bad_rc + 1)); say "hoist serve --reload failed: $(cat "${f%.rc}.out")"; }
      done
      R[hoist.reload_cli_failed]=$bad_rc
      ;;
    uwsgi)
      R[uwsgi.reloads_done]=$(grep -c 'has been touched' "$WORK/uwsgi/uwsgi.myproject.log" || true) ;;
    gunicorn)
      R[gunicorn.reloads_done]=$(grep -c 'Handling signal: hup' "$WORK/gunicorn/gunicorn.log" || true) ;;
  esac

  say "$s: stopping"
  stop_server
}

# ---- the CPU-saturated phase ---------------------------------------------------------------
# A busy loop per CPU, each in its own session: under autogroup scheduling every session gets an
# equal share of the CPU, so loops in this script's session would compete only with the bench.
# Bounded by timeout, and stopped by stop_hog (also on exit).
start_hog() {
  local n
  for ((n = 0; n < $(nproc); n++)); do
    setsid timeout $((HOG_RUN + 60)) sh -c 'while :; do :; done' &
    HOG_PIDS+=("$!")
  done
}

hog_cpu_seconds() {   # utime + stime of the loops so far (clock ticks: 100 a second)
  local p c ticks=0
  for p in "${HOG_PIDS[@]}"; do
    for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do
      ticks=$((ticks + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
    done
  done
  awk -v t="$ticks" 'BEGIN { printf "%.0f", t / 100 }'
}

stop_hog() {
  local p
  for p in "${HOG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${HOG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  HOG_PIDS=()
}

idle_jiffies() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $5 + $6, t }' /proc/stat; }

# hog_run SERVER ROUND: the server started fresh, a short warm-up, then a run with a reload every
# RELOAD_EVERY s while the hog holds every CPU. The servers take turns round by round, so each meets
# the same machine (and whatever else runs on it) at about the same times.
hog_run() {
  local s=$1 round=$2 from loop i0 i1 cpu fails bad_rc=0 f
  start_server "$s"
  run_wrk "$s.hog-$round-warmup" 3
  PHASE=hog-$round
  : >"$(reloads_file "$s")"
  from=$(log_lines "$s")
  i0="$(idle_jiffies)"
  start_hog
  say "$s: round $round with the CPU saturated, a reload every ${RELOAD_EVERY} s (wrk -d${HOG_RUN}s)"
  reload_loop "$s" "$HOG_RUN" &
  loop=$!
  BG_PIDS+=("$loop")
  run_wrk "$s.$PHASE" "$HOG_RUN"
  wait "$loop" || true
  cpu=$(hog_cpu_seconds)
  stop_hog
  i1="$(idle_jiffies)"
  local nginx_bad
  read -r nginx_bad _ _ _ _ <<<"$(nginx_counts "$s" "$from")"
  for f in "$RESULTS/hoist.$PHASE".reload-*.rc; do
    [[ -e $f ]] || continue
    [[ $(cat "$f") == 0 ]] || { bad_rc=$((bad_rc + 1)); say "hoist serve --reload failed: $(cat "${f%.rc}.out")"; }
  done
  fails=$((W_connect + W_read + W_write + W_status + nginx_bad + bad_rc))
  R[$s.hog_requests]=$(( ${R[$s.hog_requests]:-0} + W_requests ))
  R[$s.hog_fails]=$(( ${R[$s.hog_fails]:-0} + fails ))
  R[$s.hog_p99s]="${R[$s.hog_p99s]:-}${R[$s.hog_p99s]:+ }$(ms "$W_p99_us")"
  (( W_p99_us > ${R[$s.hog_p99_worst]:-0} )) && R[$s.hog_p99_worst]=$W_p99_us
  R[$s.hog_reloads]=$(( ${R[$s.hog_reloads]:-0} + $(wc -l <"$(reloads_file "$s")") ))
  R[$s.hog_cpu]=$(( ${R[$s.hog_cpu]:-0} + cpu ))
  R[$s.hog_idle]="${R[$s.hog_idle]:-}${R[$s.hog_idle]:+ }$(awk -v a="$i0" -v b="$i1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    t = y[2] - x[2]; printf "%d%%", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }')"
  echo "round $round: requests $W_requests, failed $fails (socket $((W_connect + W_read + W_write)), non-2xx $W_status, nginx $nginx_bad, --reload $bad_rc), p99 $(ms "$W_p99_us") ms, hog ${cpu} CPU s" \
    >>"$RESULTS/$s.hog.txt"
  PHASE=
  say "$s: stopping"
  stop_server
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

HEAD_SHA="$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
DIRTY=""
[[ -z "$(git -C "$REPO_ROOT" status --porcelain -- src 2>/dev/null)" ]] || DIRTY=" (+ uncommitted changes in src/)"
for s in $SERVERS; do
  bench_server "$s"
done
for ((round = 1; round <= HOG_ROUNDS; round++)); do
  wait_quiet >/dev/null
  for s in $SERVERS; do
    hog_run "$s" "$round"
  done
done

# ---- summary -------------------------------------------------------------------------------
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
{
  echo
  echo "App servers behind nginx 1.22 on 127.0.0.1: Flask $("$PY" -c 'import flask; print(flask.__version__)' 2>/dev/null), $WORKERS workers each; $(nproc) CPUs; commit ${HEAD_SHA:0:12}$DIRTY"
  [[ -z $HOIST_ENV ]] || echo "hoist serve ran with: $HOIST_ENV"
  [[ $KEEPALIVE != 1 ]] || echo "nginx kept connections to hoist serve open (HOIST_BENCH_KEEPALIVE=1)"
  echo "wrk -t$THREADS -c$CONNS --timeout $WRK_TIMEOUT: steady ${STEADY}s after ${WARMUP}s warm-up; reload run ${RELOAD_RUN}s with a reload every ${RELOAD_EVERY}s"
  echo
  echo "Steady (err = socket errors + non-2xx; others = % of the machine's CPU used by programs outside this"
  echo "bench during the run; main RSS = VmRSS of hoist serve / the uWSGI master / the gunicorn master):"
  printf '  %-9s %9s %8s %8s %6s %7s %10s\n' server 'req/s' 'p50 ms' 'p99 ms' 'err' 'others' 'main RSS'
  noisy=0
  for s in $SERVERS; do
    printf '  %-9s %9.0f %8s %8s %6d %6s%% %6s MiB\n' "$s" \
      "${R[$s.rps]}" "$(ms "${R[$s.p50]}")" "$(ms "${R[$s.p99]}")" "$((R[$s.steady_err] + R[$s.steady_nginx_bad]))" \
      "${R[$s.foreign]}" "$(mib "${R[$s.main_rss]}")"
    ((R[$s.foreign] <= 5 && R[$s.rl_foreign] <= 5)) || noisy=1
  done
  if ((noisy)); then
    echo "  WARNING: other programs used more than 5% of the CPU during some runs; those numbers are skewed."
  fi
  echo
  echo "With a reload every ${RELOAD_EVERY}s (sockerr = wrk connect/read/write errors; non2xx = wrk status > 399;"
  echo "slow = over $WRK_TIMEOUT; nginx = access-log non-2xx, 499 apart; reloads = asked / the server's own count):"
  printf '  %-9s %9s %8s %8s %7s %8s %7s %6s %6s %8s %5s  %s\n' server 'req/s' 'p99 ms' 'max ms' 'others' 'sockerr' 'non2xx' 'slow' 'nginx' '502/504' '499' 'reloads'
  for s in $SERVERS; do
    printf '  %-9s %9.0f %8s %8s %6s%% %8d %7d %6d %6d %8s %5d  %s\n' "$s" \
      "${R[$s.rl_rps]}" "$(ms "${R[$s.rl_p99]}")" "$(ms "${R[$s.rl_max]}")" "${R[$s.rl_foreign]}" \
      "${R[$s.rl_sock]}" "${R[$s.rl_status]}" "${R[$s.rl_slow]}" "${R[$s.rl_nginx_bad]}" "${R[$s.rl_502]}/${R[$s.rl_504]}" \
      "${R[$s.rl_499]}" "${R[$s.reloads_asked]} / ${R[$s.reloads_done]}"
  done
  echo
  if [[ " $SERVERS " == *" hoist "* ]]; then
    echo "hoist serve: rss_bytes (--status --json) $(mib "${R[hoist.status_rss]}") MiB after the steady run" \
      "(${R[hoist.ready]} workers ready), $(mib "${R[hoist.rss_after]}") MiB after the reload run;" \
      "hoist serve --reload failures: ${R[hoist.reload_cli_failed]};" \
      "workers all ready again ${R[hoist.settle]}s after the reload run"
    echo "hoist serve reloads (each replaces the 5 workers one at a time): ${R[hoist.spans]}"
  fi
  if ((HOG_ROUNDS > 0)); then
    echo "With the CPU saturated (a busy loop per CPU, each its own session, during each run; $HOG_ROUNDS round(s), the servers"
    echo "in turn each round; ${HOG_RUN}s runs with a reload every ${RELOAD_EVERY}s; failed = wrk socket errors + non-2xx + nginx"
    echo "non-2xx, 499 apart, + failed --reload; p99 of each round; idle = the machine's idle share during each round):"
    printf '  %-9s %9s %7s %-22s %9s %8s %8s %-10s\n' server requests failed 'p99 ms (each round)' 'worst ms' reloads 'hog CPU' idle
    for s in $SERVERS; do
      printf '  %-9s %9d %7d %-22s %9s %8d %6ss %-10s\n' "$s" "${R[$s.hog_requests]}" "${R[$s.hog_fails]}" "${R[$s.hog_p99s]}" \
        "$(ms "${R[$s.hog_p99_worst]}")" "${R[$s.hog_reloads]}" "${R[$s.hog_cpu]}" "${R[$s.hog_idle]}"
    done
    echo
  fi
  if [[ -s $RESULTS/leftovers.txt ]]; then
    echo "processes left behind by a stopped server (killed): $(tr '\n' ';' <"$RESULTS/leftovers.txt")"
  fi
  echo
  echo "Goals:"
  verdict() { if [[ $1 == 1 ]]; then echo MET; else echo MISSED; fi; }
  if [[ " $SERVERS " == *" hoist "* ]]; then
    fails=$((R[hoist.rl_sock] + R[hoist.rl_status] + R[hoist.rl_nginx_bad] + R[hoist.reload_cli_failed]))
    printf '  hoist reload failures       : %d (wrk socket errors %d + non-2xx %d + nginx non-2xx %d + failed --reload %d; goal 0) %s\n' \
      "$fails" "${R[hoist.rl_sock]}" "${R[hoist.rl_status]}" "${R[hoist.rl_nginx_bad]}" "${R[hoist.reload_cli_failed]}" \
      "$(verdict "$((fails == 0))")"
    if [[ ${R[hoist.rl_slow]} != 0 ]]; then
      echo "    (and ${R[hoist.rl_slow]} responses slower than $WRK_TIMEOUT)"
    fi
    if ((HOG_ROUNDS > 0)); then
      printf '  hoist failures, CPU saturated: %d of %d requests (goal 0) %s\n' "${R[hoist.hog_fails]}" "${R[hoist.hog_requests]}" \
        "$(verdict "$((R[hoist.hog_fails] == 0))")"
    fi
    rss=${R[hoist.status_rss]:-0}
    printf '  hoist serve RSS, 5 workers  : %s MiB (goal <= %d MiB) %s\n' "$(mib "$rss")" "$GOAL_RSS_MIB" \
      "$(verdict "$(awk -v r="$rss" -v g="$GOAL_RSS_MIB" 'BEGIN { print ((r <= g * 1048576) ? 1 : 0) }')")"
    if [[ " $SERVERS " == *" gunicorn "* ]]; then
      ratio=$(awk -v h="${R[hoist.rps]}" -v g="${R[gunicorn.rps]}" 'BEGIN { printf "%.3f", h / g }')
      printf '  hoist steady rps / gunicorn : %.0f / %.0f = %.2f (goal >= %s) %s\n' "${R[hoist.rps]}" "${R[gunicorn.rps]}" "$ratio" \
        "$GOAL_RPS_RATIO" "$(verdict "$(awk -v r="$ratio" -v g="$GOAL_RPS_RATIO" 'BEGIN { print ((r >= g) ? 1 : 0) }')")"
      ratio=$(awk -v h="${R[hoist.p99]}" -v g="${R[gunicorn.p99]}" 'BEGIN { printf "%.3f", h / g }')
      printf '  hoist p99 / gunicorn p99    : %s / %s ms = %.2f (goal <= %s) %s\n' "$(ms "${R[hoist.p99]}")" "$(ms "${R[gunicorn.p99]}")" \
        "$ratio" "$GOAL_P99_RATIO" "$(verdict "$(awk -v r="$ratio" -v g="$GOAL_P99_RATIO" 'BEGIN { print ((r <= g) ? 1 : 0) }')")"
    fi
  fi
  echo
  echo "Raw output: bench/.work/serve/results/ (wrk runs, reload times, hoist status JSON), nginx logs in bench/.work/serve/nginx/logs/"
} | tee "$RESULTS/summary.txt"
exit
}
