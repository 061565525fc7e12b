#!/usr/bin/env bash
# Benchmark of alert-ingest against Debian's prometheus-alertmanager, on this machine.
#   bash benchmarks/ingest.sh [rounds]        (default 3 rounds; about 1.5 minutes a round)
#   INGEST_ARGS="--spring.kafka.producer.properties.linger.ms=1" bash benchmarks/ingest.sh   (other settings)
# Starts, each as its own process: a Kafka broker, alert-ingest (the built jar), Alertmanager.
# Drives both with the same load generator and prints per-round figures and medians.
# Everything listens on 127.0.0.1 only, and everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WORK=$(mktemp -d /tmp/firebreak-bench.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

command -v prometheus-alertmanager >/dev/null || {
  echo "needs Debian's prometheus-alertmanager: apt-get install -y prometheus-alertmanager" >&2; exit 1; }

./mvnw -q -B -DskipTests install
CP=$(./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >/dev/null && cat "$WORK/cp")
CP="benchmarks/target/classes:$CP"
wait_for() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "timed out: $1" >&2; exit 1; }

java -Xmx1g -cp "$CP" dev.firebreak.benchmarks.BrokerProcess "$WORK/bootstrap" > "$WORK/broker.log" 2>&1 &
BROKER=$!; PIDS+=("$BROKER")
for _ in $(seq 1 120); do [ -s "$WORK/bootstrap" ] && break; sleep 0.5; done
BOOTSTRAP=$(cat "$WORK/bootstrap")

java -Xmx512m -jar alert-ingest/target/alert-ingest-*.jar --server.port=18080 \
  --spring.kafka.bootstrap-servers="$BOOTSTRAP" --firebreak.security.tokens[0].name=bench --firebreak.security.tokens[0].token=bench-token --firebreak.security.tokens[0].role=sender \
  --firebreak.topics.partitions=6 --logging.structured.format.console= ${INGEST_ARGS:-} > "$WORK/ingest.log" 2>&1 &
INGEST=$!; PIDS+=("$INGEST")

printf 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n' > "$WORK/am.yml"
prometheus-alertmanager --config.file="$WORK/am.yml" --storage.path="$WORK/am" \
  --web.listen-address=127.0.0.1:19093 --cluster.listen-address= > "$WORK/am.log" 2>&1 &
AM=$!; PIDS+=("$AM")

wait_for http://127.0.0.1:18080/actuator/health/readiness
wait_for http://127.0.0.1:19093/-/ready
echo "broker $BOOTSTRAP (pid $BROKER), alert-ingest :18080 (pid $INGEST), alertmanager :19093 (pid $AM); $(nproc) cores"

java -cp "$CP" dev.firebreak.benchmarks.IngestBenchmark rounds="$ROUNDS" \
  "alert-ingest=http://127.0.0.1:18080/api/v2/alerts,$INGEST,$BROKER,Bearer bench-token" \
  "alertmanager=http://127.0.0.1:19093/api/v2/alerts,$AM"

# Every acknowledged alert must be in Kafka: count what the topic holds.
java -cp "$CP" dev.firebreak.benchmarks.TopicCount "$BOOTSTRAP" firebreak.alerts
