#!/usr/bin/env bash
# Benchmark of incident-store's query API on this machine, with `hey` (apt-get install hey).
#   bash benchmarks/api.sh [rounds]        (default 3 rounds of 15 s per request kind)
# Starts a broker, a PostgreSQL and the built incident-store jar, fills the projection with 100,000
# incidents (two alerts each) and 2,000,000 timeline events, then loads each request kind with
# 4 concurrent clients and prints p50 / p99 per round and the median over rounds.
# Everything listens on 127.0.0.1 only, and everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_KIND=${API_SECONDS:-15}
WORK=$(mktemp -d /tmp/firebreak-api-bench.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
command -v hey >/dev/null || { echo "needs hey: apt-get install -y hey" >&2; exit 1; }

./mvnw -q -B -DskipTests install
CP=$(./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >/dev/null && cat "$WORK/cp")
CP="benchmarks/target/classes:$CP"
wait_file() { for _ in $(seq 1 240); do [ -s "$1" ] && return 0; sleep 0.5; done; echo "timed out: $1" >&2; exit 1; }

java -Xmx1g -cp "$CP" dev.firebreak.benchmarks.BrokerProcess "$WORK/bootstrap" > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
java -Xmx256m -cp "$CP" dev.firebreak.benchmarks.PostgresProcess "$WORK/postgres" > "$WORK/postgres.log" 2>&1 &
PIDS+=($!)
wait_file "$WORK/bootstrap"; wait_file "$WORK/postgres"
DATASOURCE=$(cat "$WORK/postgres")
java -Xmx1g -jar incident-store/target/incident-store-*.jar --server.port=18082 \
  --spring.kafka.bootstrap-servers="$(cat "$WORK/bootstrap")" --spring.kafka.streams.state-dir="$WORK/state" \
  $DATASOURCE --firebreak.security.anonymous-roles=operator --logging.structured.format.console= > "$WORK/store.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:18082/actuator/health/readiness && break; sleep 0.5; done

# shellcheck disable=SC2086
set -- $DATASOURCE
java -cp "$CP" dev.firebreak.benchmarks.ApiBenchmarkData "${1#*=}" "${2#*=}" "${3#*=}" 100000 20

BASE=http://127.0.0.1:18082/api/v1
declare -A KINDS=(
  [list]="$BASE/incidents"
  [list-status-severity]="$BASE/incidents?status=OPEN&severity=SEV1"
  [list-label]="$BASE/incidents?match=service%3Dsvc-42"
  [list-text]="$BASE/incidents?q=svc-42%20needs"
  [list-by-severity]="$BASE/incidents?sort=severity&limit=100"
  [incident]="$BASE/incidents/INC-20260215-0500"
  [timeline]="$BASE/incidents/INC-20260215-0500/timeline"
)
for kind in "${!KINDS[@]}"; do curl -sf -o /dev/null "${KINDS[$kind]}" || { echo "failed: $kind" >&2; exit 1; }; done
for kind in $(printf '%s\n' "${!KINDS[@]}" | sort); do
  p50s=(); p99s=()
  for round in $(seq 1 "$ROUNDS"); do
    out=$(hey -z "${SECONDS_PER_KIND}s" -c 4 "${KINDS[$kind]}")
    [ "$(echo "$out" | grep -c '\[200\]')" = 1 ] || { echo "$out" >&2; exit 1; }
    p50=$(echo "$out" | awk '/50% in/ {printf "%.1f", $3*1000}')
    p99=$(echo "$out" | awk '/99% in/ {printf "%.1f", $3*1000}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    echo "$kind round $round: p50 $p50 ms, p99 $p99 ms, $rps req/s"
    p50s+=("$p50"); p99s+=("$p99")
  done
  echo "$kind median: p50 $(printf '%s\n' "${p50s[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms, p99 $(printf '%s\n' "${p99s[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms"
done

java -cp "$CP" dev.firebreak.benchmarks.CommandLatency "$(cat "$WORK/bootstrap")" "$BASE" 20
