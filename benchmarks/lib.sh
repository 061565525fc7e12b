# What the benchmark scripts share; sourced, not run.

# Waits for incident-store's readiness at $1 (its process: $STORE); gives up at once if it
# exited, showing the end of its log ($2).
wait_ready() {
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$STORE" 2>/dev/null || { echo "incident-store exited, see its log:" >&2; tail -20 "$2" >&2; exit 1; }
    sleep 0.5
  done
  echo "timed out: $1" >&2; exit 1
}
