namespace Hoist.Setup;

/// <summary>
/// The shell functions through which setup and deploy act on hoist serve's systemd unit, so that a start, restart or
/// reload that leaves the unit not serving is never taken for success. Needs an <c>as_root</c> function.
/// </summary>
/// <remarks>
/// With Type=notify, systemctl start/restart waits for READY=1 (or fails when hoist serve exits first), and reload
/// waits for ExecReload (hoist serve --reload, which fails when a new worker never gets ready). On any failure the
/// unit's status and last journal lines go to stderr. The journal carries the workers' output, which may echo what
/// shared/.env holds: every value of that file, and the password of any URL in it, is shown as [REDACTED] before a
/// line leaves the host (Hoist's output redaction knows only the secrets in its own scripts; deploys do not hold the
/// database password).
/// </remarks>
internal static class UnitScript
{
    public const string Functions = """
        # hide_env_values FILE: stdin to stdout, each value of FILE (read as root) and each URL's password as [REDACTED].
        hide_env_values() {
          awk 'BEGIN {
            while ((getline l < "/dev/fd/3") > 0) {
              i = index(l, "="); if (i == 0) continue
              v = substr(l, i + 1)
              if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
              if (length(v) >= 4) s[++n] = v
              if (match(v, /:\/\/[^:\/@]*:[^@]*@/)) { u = substr(v, RSTART + 3, RLENGTH - 4); p = substr(u, index(u, ":") + 1); if (length(p) >= 4) s[++n] = p }
            }
          }
          {
            line = $0
            for (k = 1; k <= n; k++) { out = ""; while ((j = index(line, s[k])) > 0) { out = out substr(line, 1, j - 1) "[REDACTED]"; line = substr(line, j + length(s[k])) } line = out line }
            print line
          }' 3< <(as_root cat -- "$1" 2>/dev/null || true)
        }
        # unit_do ACTION UNIT ENVFILE: systemctl ACTION UNIT, then the unit must be active; else its status and last
        # journal lines on stderr (values of ENVFILE hidden) and status 1.
        unit_do() {
          if as_root systemctl "$1" "$2" && as_root systemctl is-active -q "$2"; then return 0; fi
          {
            echo "systemctl $1 $2 failed, or left it not active; systemctl status $2:"
            as_root systemctl status --no-pager --lines=0 "$2" 2>&1 | hide_env_values "$3" || true
            echo "its last journal lines (journalctl -u $2 -n 30):"
            as_root journalctl -u "$2" -n 30 --no-pager -o cat 2>&1 | hide_env_values "$3" || true
          } >&2
          return 1
        }
        """;
}
