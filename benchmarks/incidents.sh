#!/usr/bin/env bash
# Benchmark of incident-store's topology on a real broker, on this machine.
#   bash benchmarks/incidents.sh [rounds]     (default 3 rounds; about 3.5 minutes a round)
#   STREAM_THREADS=1 bash benchmarks/incidents.sh      (default 2; INCIDENTS_ARGS adds other service arguments)
# Each round starts a fresh broker and PostgreSQL (the projection runs too, as in production) and measures, with incident-store (the built jar) in its own process:
#   drain:   100,000 distinct alerts, each delivered twice, preloaded; time from the first to the
#            last committed incident event (read_committed), and over its second half (JIT warm);
#            and the CPU each delivery cost incident-store, the broker and PostgreSQL;
#   latency: 5,000 deliveries/s (or $LATENCY_RATE) for 30 s; append of an alert to its event being readable.
# Everything listens on 127.0.0.1 only, and everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WORK=$(mktemp -d /tmp/firebreak-bench.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

./mvnw -q -B -DskipTests install
CP=$(./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >/dev/null && cat "$WORK/cp")
CP="benchmarks/target/classes:$CP"
# User + system CPU, in clock ticks, of a process and all its descendants (PostgreSQL's backends).
cpu_ticks() {
  local level=$1 all=$1
  while [ -n "$level" ]; do level=$(ps -o pid= --ppid "${level// /,}" | xargs || true); all="$all $level"; done
  for pid in $all; do sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true; done | awk '{ ticks += $12 + $13 } END { print ticks + 0 }'
}
cpu_snapshot() { echo "$(cpu_ticks "$STORE") $(cpu_ticks "$BROKER") $(cpu_ticks "$POSTMASTER")"; }
# wait_ready: the service's readiness, or its log when it exited.
source benchmarks/lib.sh

for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORK/round"; mkdir -p "$WORK/round"
  java -Xmx1g -cp "$CP" dev.firebreak.benchmarks.BrokerProcess "$WORK/round/bootstrap" > "$WORK/round/broker.log" 2>&1 &
  BROKER=$!; PIDS+=("$BROKER")
  for _ in $(seq 1 120); do [ -s "$WORK/round/bootstrap" ] && break; sleep 0.5; done
  BOOTSTRAP=$(cat "$WORK/round/bootstrap")
  java -Xmx256m -cp "$CP" dev.firebreak.benchmarks.PostgresProcess "$WORK/round/postgres" > "$WORK/round/postgres.log" 2>&1 &
  POSTGRES=$!; PIDS+=("$POSTGRES")
  for _ in $(seq 1 120); do [ -s "$WORK/round/postgres" ] && break; sleep 0.5; done
  DATASOURCE=$(cat "$WORK/round/postgres")
  # PostgreSQL detaches from the Java process that starts it: found by its port.
  PG_PORT=$(sed -E 's|.*jdbc:postgresql://[^:]+:([0-9]+)/.*|\1|' <<< "$DATASOURCE")
  POSTMASTER=$(pgrep -f -- "bin/postgres .*-p $PG_PORT( |$)" | head -1 || true)
  start_store() {
    java -Xmx1g ${INCIDENTS_JAVA:-} -jar incident-store/target/incident-store-*.jar --server.port=18081 \
      --spring.kafka.bootstrap-servers="$BOOTSTRAP" --spring.kafka.streams.state-dir="$WORK/round/state-$1" \
      --spring.kafka.streams.properties.num.stream.threads="${STREAM_THREADS:-2}" $DATASOURCE --firebreak.security.anonymous-roles=operator \
      --logging.structured.format.console= ${INCIDENTS_ARGS:-} > "$WORK/round/store-$1.log" 2>&1 &
    STORE=$!; PIDS+=("$STORE")
    wait_ready http://127.0.0.1:18081/actuator/health/readiness "$WORK/round/store-$1.log"
  }
  # The service creates the topics; a first start, stopped, leaves them for the preload.
  start_store setup; kill "$STORE"; wait "$STORE" 2>/dev/null || true

  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark preload "$BOOTSTRAP" 100000
  start_store drain
  read -r store0 broker0 postgres0 <<< "$(cpu_snapshot)"
  echo "round $round: $(java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark drain "$BOOTSTRAP" 100000)"
  # The projection may still be writing the last events: counted until the service is idle.
  for _ in $(seq 1 30); do before=$(cpu_ticks "$STORE"); sleep 1; [ $(($(cpu_ticks "$STORE") - before)) -lt 10 ] && break; done
  read -r store1 broker1 postgres1 <<< "$(cpu_snapshot)"
  # CPU per delivery during the drain: less moved than the rate by what else runs on the box.
  awk -v round="$round" -v hz="$(getconf CLK_TCK)" -v s=$((store1 - store0)) -v b=$((broker1 - broker0)) -v p=$((postgres1 - postgres0)) \
    'BEGIN { us = 1e6 / hz / 200000; printf "round %d: drain CPU per delivery: incident-store %.0f us, broker %.0f us, postgres %.0f us, total %.0f us\n", round, s * us, b * us, p * us, (s + b + p) * us }'
  echo "round $round: $(java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark latency "$BOOTSTRAP" "${LATENCY_RATE:-5000}" 30 | tail -2)"
  kill "$STORE" "$BROKER" "$POSTGRES"; wait "$STORE" "$BROKER" "$POSTGRES" 2>/dev/null || true
done
