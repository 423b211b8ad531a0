D="$HOME"/'apps/my app'
if [ -d "$D"/current ]; then dir="$D"/current; else dir="$HOME"; fi
(
set +e +u +o pipefail
cd "$dir"
export MODE=production
export SECRET='[REDACTED]'
eval 'df -h /'
)