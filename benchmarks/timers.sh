#!/usr/bin/env bash
# Benchmark of incident-store's timers with many open incidents in one task, this build against a baseline jar.
#   BASELINE_JAR=/path/to/incident-store-baseline.jar bash benchmarks/timers.sh [rounds]   (default 3; about 10 minutes a round)
#   TIMER_INCIDENTS (default 100000), TIMER_GRACE (s, default 180), TIMER_CAP (s, default 180), TIMER_PORT
#   (the service's HTTP port, default 18782), MVN_OPTS (e.g. -o)
# Each round runs both jars, in alternating order, each on a fresh broker and PostgreSQL (the projection runs
# too, as in production), with one partition and one stream thread: every incident is in one task.
#   TIMER_INCIDENTS alerts of distinct services are preloaded; each opens an incident (fallback SEV3 policy,
#   with an automation window) whose automation grace (TIMER_GRACE, longer than the drain) ends grace after the
#   alert's record timestamp, so all the timers fall due together once the drain is over. With no
#   remediation-engine, each gives an AUTOMATION_ENDED event; lateness = when it is readable (read_committed)
#   less openedAt + grace. Measuring stops TIMER_CAP s after the first timer was due; the rest are reported
#   as not fired, and count as late by at least the time since they fell due (figures marked >=).
# review-interval is 1h, so that the grace timers are the only ones due in the measurement.
# Everything listens on 127.0.0.1 only, and everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
INCIDENTS=${TIMER_INCIDENTS:-100000}
GRACE=${TIMER_GRACE:-180}
CAP=${TIMER_CAP:-180}
PORT=${TIMER_PORT:-18782}
: "${BASELINE_JAR:?BASELINE_JAR: the baseline build of incident-store (its jar) to compare with}"
BASELINE_JAR=$(realpath "$BASELINE_JAR")
WORK=$(mktemp -d /tmp/firebreak-timers.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# Packaged, not installed: the classpath points into this tree's target directories.
./mvnw -q -B ${MVN_OPTS:-} -DskipTests -pl incident-store,benchmarks -am package dependency:build-classpath \
  -Dmdep.outputFile=target/benchmark.classpath
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
CURRENT_JAR=$(realpath incident-store/target/incident-store-*.jar)
echo "current:  $CURRENT_JAR"
echo "baseline: $BASELINE_JAR"
echo "$INCIDENTS incidents in one task; grace ${GRACE} s; measuring until every timer fired or ${CAP} s after the first was due"

# wait_ready: the service's readiness, or its log when it exited.
source benchmarks/lib.sh

# One measurement: a fresh broker and PostgreSQL, the preload, then the given jar until its timers fired.
run() {
  local name=$1 jar=$2 dir="$WORK/$1-$round"
  mkdir -p "$dir"
  java -Xmx1g -cp "$CP" dev.firebreak.benchmarks.BrokerProcess "$dir/bootstrap" 1 > "$dir/broker.log" 2>&1 &
  BROKER=$!; PIDS+=("$BROKER")
  java -Xmx256m -cp "$CP" dev.firebreak.benchmarks.PostgresProcess "$dir/postgres" > "$dir/postgres.log" 2>&1 &
  POSTGRES=$!; PIDS+=("$POSTGRES")
  for _ in $(seq 1 120); do [ -s "$dir/bootstrap" ] && [ -s "$dir/postgres" ] && break; sleep 0.5; done
  BOOTSTRAP=$(cat "$dir/bootstrap")
  DATASOURCE=$(cat "$dir/postgres")
  java -cp "$CP" dev.firebreak.benchmarks.TimerBenchmark preload "$BOOTSTRAP" "$INCIDENTS" | sed "s/^/round $round $name: /"
  java -Xmx1g -jar "$jar" --server.address=127.0.0.1 --server.port="$PORT" --spring.kafka.bootstrap-servers="$BOOTSTRAP" \
    --spring.kafka.streams.state-dir="$dir/state" --spring.kafka.streams.properties.num.stream.threads=1 \
    --firebreak.topics.partitions=1 --firebreak.incidents.automation-grace="${GRACE}s" \
    --firebreak.incidents.review-interval=1h $DATASOURCE --firebreak.security.anonymous-roles=operator \
    --logging.structured.format.console= > "$dir/store.log" 2>&1 &
  STORE=$!; PIDS+=("$STORE")
  wait_ready http://127.0.0.1:$PORT/actuator/health/readiness "$dir/store.log"
  java -cp "$CP" dev.firebreak.benchmarks.TimerBenchmark measure "$BOOTSTRAP" "$INCIDENTS" "$GRACE" "$CAP" \
    | sed "s/^/round $round $name: /" | tee -a "$WORK/results"
  kill "$STORE" "$BROKER" "$POSTGRES"; wait "$STORE" "$BROKER" "$POSTGRES" 2>/dev/null || true
  PIDS=()
}

for round in $(seq 1 "$ROUNDS"); do
  started=$(date +%s)
  if [ $((round % 2)) -eq 1 ]; then run current "$CURRENT_JAR"; run baseline "$BASELINE_JAR"
  else run baseline "$BASELINE_JAR"; run current "$CURRENT_JAR"; fi
  echo "round $round took $(($(date +%s) - started)) s"
done

# Medians over the rounds (a lower bound, >=, stays one); ratio current / baseline.
echo "medians of $ROUNDS rounds (ms; last = from the first timer due to the last fired):"
awk '/ result / {
    name = $3; sub(":", "", name)
    for (i = 5; i <= NF; i++) { key = substr($i, 1, index($i, "=") - 1); v = substr($i, index($i, "=") + 1)
      ge = (v ~ /^>=/); sub(">=", "", v); n = ++count[name, key]; val[name, key, n] = v + 0; low[name, key, n] = ge }
  }
  function median(name, key,   n, i, j, t, tl, m) {
    n = count[name, key]
    for (i = 1; i <= n; i++) { a[i] = val[name, key, i]; b[i] = low[name, key, i] }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t; tl = b[i]; b[i] = b[j]; b[j] = tl }
    m = int((n + 1) / 2); mv = (n % 2) ? a[m] : (a[m] + a[m + 1]) / 2; ml = (n % 2) ? b[m] : (b[m] || b[m + 1])
    return mv
  }
  END {
    split("fired p50 p99 max last drain", keys, " ")
    for (k = 1; k <= 6; k++) {
      key = keys[k]; c = median("current", key); cl = ml; bv = median("baseline", key); bl = ml
      printf "  %-6s current %s%s, baseline %s%s, ratio current/baseline %s%.2f\n", key, cl ? ">=" : "", c,
        bl ? ">=" : "", bv, (cl && bl) ? "(both bounds) " : (bl ? "<=" : (cl ? ">=" : "")), (bv > 0) ? c / bv : 0
    }
  }' "$WORK/results"
