D="$HOME"/'apps/my app'
for f in "$D"/shared/.env "$D"/.env.migrate; do
  if [ -f "$f" ] && [ -r "$f" ]; then head -n 200 "$f" | while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' '::hoist-NONCE:: env_line='"$l"; done; fi
done
echo "::hoist-NONCE:: env_done=1"
if [ -d "$D"/current ]; then dir="$D"/current; else dir="$HOME"; fi
(
set +e +u +o pipefail
cd "$dir"
export MODE=production
export SECRET='[REDACTED]'
eval 'df -h /'
)