#!/usr/bin/env bash
# Benchmark of incident-store's topology on a real broker, on this machine.
#   bash benchmarks/incidents.sh [rounds]     (default 3 rounds; about 2 minutes a round)
#   INCIDENTS_ARGS="--spring.kafka.streams.properties.num.stream.threads=1" bash benchmarks/incidents.sh
# Each round starts a fresh broker and PostgreSQL (the projection runs too, as in production) and measures, with incident-store (the built jar) in its own process:
#   drain:   100,000 distinct alerts, each delivered twice, preloaded; time from the first to the
#            last committed incident event (read_committed), and over its second half (JIT warm);
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
wait_for() { for _ in $(seq 1 240); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "timed out: $1" >&2; exit 1; }

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
  start_store() {
    java -Xmx1g ${INCIDENTS_JAVA:-} -jar incident-store/target/incident-store-*.jar --server.port=18081 \
      --spring.kafka.bootstrap-servers="$BOOTSTRAP" --spring.kafka.streams.state-dir="$WORK/round/state-$1" \
      --spring.kafka.streams.properties.num.stream.threads=2 $DATASOURCE --firebreak.api.allow-unauthenticated=true \
      --logging.structured.format.console= ${INCIDENTS_ARGS:-} > "$WORK/round/store-$1.log" 2>&1 &
    STORE=$!; PIDS+=("$STORE")
    wait_for http://127.0.0.1:18081/actuator/health/readiness
  }
  # The service creates the topics; a first start, stopped, leaves them for the preload.
  start_store setup; kill "$STORE"; wait "$STORE" 2>/dev/null || true

  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark preload "$BOOTSTRAP" 100000
  start_store drain
  echo "round $round: $(java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark drain "$BOOTSTRAP" 100000)"
  echo "round $round: $(java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark latency "$BOOTSTRAP" "${LATENCY_RATE:-5000}" 30 | tail -2)"
  kill "$STORE" "$BROKER" "$POSTGRES"; wait "$STORE" "$BROKER" "$POSTGRES" 2>/dev/null || true
done
