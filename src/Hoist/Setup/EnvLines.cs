namespace Hoist.Setup;

/// <summary>
/// The bash functions that read and edit a web host's <c>shared/.env</c> in a variable, so that every line setup does
/// not manage stays byte for byte where it was (comments, blank lines, <c>export</c>, CRLF, no final line break) and a
/// second setup with nothing to do writes the same bytes, reports ok and reloads nothing.
/// </summary>
/// <remarks>
/// Pure bash, no other process: values (DATABASE_URL, setup.secrets) are never in an argument list, and the text is
/// kept in a variable rather than passed through <c>$(...)</c>, which would drop trailing line breaks. A line sets NAME
/// as hoist serve's env-file reader takes it (<see cref="Serve.Config.EnvFile"/>): spaces, an optional
/// <c>export </c>, spaces around '=', the value without its enclosing quotes. The old <c>with_env_line</c> dropped
/// the line and appended it at the end: a line the user added after it moved above it at every run, so each run
/// changed the file and reloaded the app.
/// </remarks>
internal static class EnvLines
{
    public const string Functions = """
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
        """;
}
