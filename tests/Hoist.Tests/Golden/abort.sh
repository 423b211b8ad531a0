D="$HOME"/'apps/my app'
if [ "$(cat "$D"/.hoist/lock/token 2>/dev/null)" = token123 ]; then
holder_group=$(ps -o pgid= -p "$(cat "$D"/.hoist/lock/pid 2>/dev/null || echo 0)" 2>/dev/null | tr -d ' ' || true)
if [ -n "$holder_group" ] && [ "$holder_group" != "$(ps -o pgid= -p $$ | tr -d ' ')" ]; then kill -TERM -- -"$holder_group" 2>/dev/null || true; sleep 0.2; fi
live=$(basename "$(readlink "$D"/current 2>/dev/null)")
for r in "$D"/releases/*/; do
  if [ -d "$r" ] && [ ! -f "$r"REVISION ] && [ "$(basename "$r")" != "$live" ]; then rm -rf "$r"; fi
done
  mine=$(cat "$D"/.hoist/lock/release 2>/dev/null || true)
  if [ -n "$mine" ] && [ "$mine" != "$live" ]; then rm -rf "$D"/releases/"$mine"; fi
  rm -rf "$D"/.hoist/lock
fi