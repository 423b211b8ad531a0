D=/srv/myproject
echo '::hoist-NONCE:: step=commit'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" != token123 ]; then
  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit 75
fi
set +e
if [ -f "$D"/.hoist/history.new ]; then mv -T "$D"/.hoist/history.new "$D"/.hoist/history; fi
echo '::hoist-NONCE:: step=commit held workers'
serve_commit_status=0
(
set +e +u +o pipefail
cd "$D"
eval 'if [ "$(id -u)" = 0 ]; then as_root() { "$@"; }; as_app() { runuser -u myproject -- "$@"; }; else as_root() { sudo -n "$@"; }; as_app() { sudo -n -u myproject -- "$@"; }; fi
# hide_env_values HOIST INI ENVFILE: stdin to stdout, each value of ENVFILE (4+ characters) and each URL'\''s password
# as [REDACTED]. HOIST serve --ini INI --redact does it (with the one .env parser); where it cannot run (not
# installed yet, INI broken), the same rules in awk: trimmed lines, CRLF, '\''#'\'', export, spaces around '\''='\'', quotes.
hide_env_values() {
  # Read first, so that hoist runs once: it fails (printing nothing) before reading when it cannot do it.
  local text; text=$(cat)
  if printf '\''%s\n'\'' "$text" | as_root "$1" serve --ini "$2" --redact 2>/dev/null; then return; fi
  printf '\''%s\n'\'' "$text" | awk '\''BEGIN {
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
  }'\'' 3< <(as_root cat -- "$3" 2>/dev/null || true)
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
# it says goes to stdout, or to stderr with ENVFILE'\''s values hidden when it fails.
serve_ask() {
  local said status
  said=$(as_app "$1" serve --ini "$2" "${@:4}" 2>&1); status=$?
  if [ "$status" = 0 ]; then printf '\''%s\n'\'' "$said"; else printf '\''%s\n'\'' "$said" | hide_env_values "$1" "$2" "$3" >&2; fi
  return "$status"
}
# serve_quick CONTROL COMMAND WAIT HOIST INI ENVFILE: COMMAND (commit, revert) sent to hoist serve'\''s control socket
# CONTROL by perl (Debian'\''s perl-base, always there) as the app user: no .NET start-up, which under load is most of
# a revert'\''s time. As `hoist serve` does, it trusts only a listener of the app user or root (SO_PEERCRED), and
# believes only the server'\''s answer: ok (status 0, what it said on stdout), not ok or no answer within WAIT
# seconds (status 1, on stderr with ENVFILE'\''s values hidden). Where it cannot ask (no perl, no socket, a listener
# not trusted, sudo refused, the connection closed unanswered), serve_ask asks, through HOIST serve --COMMAND.
serve_quick() {
  local said status
  said=$(as_app perl -e '\''
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
  '\'' -- "$1" "$2" "$3" 2>/dev/null); status=$?
  case "$status" in
    0) printf '\''%s\n'\'' "$said" ;;
    10|11) printf '\''%s\n'\'' "$said" | hide_env_values "$4" "$5" "$6" >&2; return 1 ;;
    *) serve_ask "$4" "$5" "$6" "--$2" ;;
  esac
}
serve_quick /srv/myproject/shared/run/app.sock.ctl commit 270 /usr/local/bin/hoist /srv/myproject/shared/serve.ini /srv/myproject/shared/.env'
) || serve_commit_status=$?
[ "$serve_commit_status" = 0 ] || echo "::hoist-NONCE:: serve_commit_failed=1"
cat "$D"/.hoist/lock/audit >> "$D"/.hoist/audit.log || echo 'the audit line could not be appended to .hoist/audit.log' >&2
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then rm -rf "$D"/.hoist/lock; fi