#!/usr/bin/env bash
# Benchmark of incident-store's topology on a real broker, on this machine: the targets of issue 20, in one run.
#   bash benchmarks/incidents.sh [rounds]                                   (default 3 rounds; this build only)
#   BASELINE_JAR=/path/to/incident-store.jar bash benchmarks/incidents.sh [rounds]   (this build against a baseline)
#   STREAM_THREADS (default 2), LATENCY_RATE (deliveries/s; default half this build's drain), LATENCY_SECONDS
#   (default 30), FLAT=0 (leaves out the incident sizes), INCIDENTS_ARGS (other service arguments), INCIDENTS_JAVA
#   (JVM options, e.g. -XX:StartFlightRecording=filename=/tmp/store.jfr,settings=profile), INCIDENTS_PORT (the
#   service's HTTP port, default 18081), MVN_OPTS (e.g. -o)
# About 14 minutes a round with 5b6fc36 as the baseline on 2 shared cores (3.5 for this build, 8 for the baseline, 1.5 for the topology alone, 1 for
# the pass-through).
#
# Workload: distinct firing alerts over 2,000 services (four instances each, below the blast radius), each
# delivered twice in a row (an HA pair), so each gives one incident event and its duplicate none. Every batch of
# alerts has a `run` label of its own (no two share a fingerprint). Each measurement starts a fresh broker (all
# topics of the catalogue, 6 partitions) and, for incident-store, a fresh PostgreSQL; the projection runs, as in
# production, but where said. Automation grace is 1h, so that no timer fires while measuring: every event and
# record counted was caused by the deliveries counted.
# Each round runs, this build and the baseline alternating which goes first:
#   warm-up:  60,000 distinct alerts (WARMUP) preloaded, then the service started: time from its first committed incident
#             event to its last (read_committed), and the CPU per delivery, from readiness until idle. The first
#             minute of a JVM: reported on its own line, left out of the medians.
#   settle:   on the same process, once idle, 50,000 distinct alerts (SETTLE) drained as the drain below is, and not
#             counted: the warm-up's alerts opened incidents, these join them as the drain's do, so that the JIT
#             compiler has compiled that path too before anything is measured (without it, it took 15-19 % of the
#             service's CPU in the drain). Its rate is reported on a line of its own.
#   drain:    on the same process, once idle, 100,000 distinct alerts (200,000 deliveries) written while it is
#             frozen (SIGSTOP, for the few seconds the writing takes: under the 10 s after which the broker would
#             abort a transaction left open; a service fenced meanwhile is reported), so that it drains them as a
#             backlog, as after a preload but with its JIT warm; then thawed: time from the first event to the
#             last; CPU of incident-store, the broker and PostgreSQL (user + system from /proc, descendants
#             included) from the thaw until the service is idle. Its alerts join the warm-up's 2,000 incidents
#             (30 alerts each, then 55, then 105).
#   records:  what the drain wrote to the broker: every topic's records between two end-offset snapshots (before
#             the alerts, after the drain), firebreak.alerts, repartition and changelog topics included,
#             __consumer_offsets and __transaction_state not. Counted in the broker's log segments (TopicRecords):
#             offsets would count commit markers, and a consumer would miss the repartition records Kafka Streams
#             deletes once consumed. Per topic and in all, per delivery. Targeted (issue 20): a duplicate at most
#             2, a new alert at most 4, so at most 3 a delivery on average here.
#   latency:  LATENCY_SECONDS at half this build's drain rate (of this round, or of the last round when the
#             baseline goes first: both jars of a round run at the same rate); append of an alert to its event
#             being readable (read_committed).
#   sizes:    CPU per delivery (incident-store + broker + PostgreSQL) with incidents of 100, 1,000 and 10,000
#             alerts: 10,000 distinct alerts (each delivered twice) each time, over 100, 10 and 1 services of their
#             own, so that each incident grows to that size; written frozen and drained as above, at most 120 s
#             each. Flat means the same CPU per delivery at every size.
# and then, this build only, each on a fresh broker:
#   topology alone:  the same warm-up and drain with the projection off. incident-store has no switch for it: its
#             projection consumer is pointed at a closed port (--spring.kafka.consumer.bootstrap-servers; Kafka
#             Streams and the admin client use spring.kafka.bootstrap-servers), so it never reads a record.
#   pass-through:    the same warm-up and drain through PassThroughStreams, a Kafka Streams application of the
#             same shape that does nothing but decode, re-key by correlation key, repartition and write one record
#             per delivery (exactly-once, same commit interval, stream threads and partitions): what the topology's
#             plumbing costs at the least. Its drain counts its output records.
# Per-round lines come first, medians over the rounds (and ratios, this build / baseline) last.
# Everything listens on 127.0.0.1 only, everything started here is stopped on exit, and every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
THREADS=${STREAM_THREADS:-2}
PORT=${INCIDENTS_PORT:-18081}
LATENCY_SECONDS=${LATENCY_SECONDS:-30}
PARTITIONS=6 # the catalogue's (Topics.DEFAULT_PARTITIONS), so incident-store's repartition topics' too
WARMUP=${WARMUP:-60000}
SETTLE=${SETTLE:-50000}
DISTINCT=100000
SIZED=10000
if [ -n "${BASELINE_JAR:-}" ]; then BASELINE_JAR=$(realpath "$BASELINE_JAR"); fi
WORK=$(mktemp -d /tmp/firebreak-bench.XXXXXX)
PIDS=()
LAST_DRAIN=0
# A frozen process takes no TERM until thawed.
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; kill -CONT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# Packaged, not installed: the classpath points into this tree's target directories.
./mvnw -q -B ${MVN_OPTS:-} -DskipTests -pl incident-store,benchmarks -am package dependency:build-classpath \
  -Dmdep.outputFile=target/benchmark.classpath
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
CURRENT_JAR=$(realpath "$(ls incident-store/target/incident-store-*.jar | grep -v -e '-plain' -e '-sources' | head -1)")
echo "current:  $CURRENT_JAR"
echo "baseline: ${BASELINE_JAR:-none (this build only, no ratios)}"

# wait_ready: the service's readiness, or its log when it exited.
source benchmarks/lib.sh

# User + system CPU, in clock ticks, of a process and all its descendants (PostgreSQL's backends).
cpu_ticks() {
  local level=${1:-} all=${1:-}
  while [ -n "$level" ]; do level=$(ps -o pid= --ppid "${level// /,}" | xargs || true); all="$all $level"; done
  for pid in $all; do sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true; done | awk '{ ticks += $12 + $13 } END { print ticks + 0 }'
}
cpu_snapshot() { echo "$(cpu_ticks "$SERVICE") $(cpu_ticks "$BROKER") $(cpu_ticks "${POSTMASTER:-}")"; }
# The service's CPU ticks by thread, named without their numbers (StreamThread-, GC Thread#, C2 CompilerThread):
# where its CPU goes, JIT compiler and garbage collector included (a profiler samples Java threads only).
thread_ticks() {
  for task in /proc/"$SERVICE"/task/*; do
    printf '%s\t%s\n' "$(tr -d '\n' < "$task/comm" 2>/dev/null)" "$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
  done | awk -F'\t' '{ name = $1; gsub(/[0-9]+/, "", name); sub(/-+$/, "", name); ticks[name] += $2 }
    END { for (name in ticks) print name "\t" ticks[name] }' | sort
}
# The share of each kind of thread in the CPU between two thread_ticks files, the largest first.
thread_shares() {
  awk -F'\t' 'NR == FNR { before[$1] = $2; next } { d = $2 - before[$1]; if (d > 0) { used[$1] = d; total += d } }
    END { for (name in used) if (used[name] * 100 >= total) printf "%s %.0f%%\n", name, 100 * used[name] / total }' "$1" "$2" \
    | sort -t' ' -k2 -rn | awk '{ line = line sep $0; sep = ", " } END { print line }'
}
# Waits, at most 30 s, until the service used less than 0.1 s of CPU in a second (the projection may still be
# writing the last events).
wait_idle() { local before; for _ in $(seq 1 30); do before=$(cpu_ticks "$SERVICE"); sleep 1
  [ $(($(cpu_ticks "$SERVICE") - before)) -lt 10 ] && return 0; done; echo "$PREFIX: not idle after 30 s" >&2; }
# CPU per delivery from the deliveries ($1) and two snapshots ($2-$4, $5-$7): CPU_LINE = "<service> X us, broker
# Y us, postgres Z us, total T us", CPU_US = T.
cpu_per_delivery() {
  CPU_LINE=$(awk -v hz="$(getconf CLK_TCK)" -v n="${1:-0}" -v name="$SERVICE_NAME" -v s=$(($5 - $2)) -v b=$(($6 - $3)) \
    -v p=$(($7 - $4)) 'BEGIN { us = (n > 0) ? 1e6 / hz / n : 0
      printf "%s %.0f us, broker %.0f us, postgres %.0f us, total %.0f us", name, s * us, b * us, p * us, (s + b + p) * us }')
  CPU_US=$(sed -E 's/.*total ([0-9]+) us/\1/' <<< "$CPU_LINE")
}
# A figure for the medians: name (current, baseline, topology, pass-through), what, value.
result() { echo "$1 $2 $3" >> "$WORK/results"; }

# A fresh broker with every topic of the catalogue (its data under $DIR, for TopicRecords), and PostgreSQL if $1.
start_infrastructure() {
  mkdir -p "$DIR/broker-tmp"
  java -Xmx1g -Djava.io.tmpdir="$DIR/broker-tmp" -cp "$CP" dev.firebreak.benchmarks.BrokerProcess "$DIR/bootstrap" \
    "$PARTITIONS" > "$DIR/broker.log" 2>&1 &
  BROKER=$!; PIDS+=("$BROKER")
  POSTMASTER=; DATASOURCE=
  if [ "$1" = postgres ]; then
    java -Xmx256m -cp "$CP" dev.firebreak.benchmarks.PostgresProcess "$DIR/postgres" > "$DIR/postgres.log" 2>&1 &
    POSTGRES=$!; PIDS+=("$POSTGRES")
  fi
  for _ in $(seq 1 120); do [ -s "$DIR/bootstrap" ] && { [ "$1" != postgres ] || [ -s "$DIR/postgres" ]; } && break; sleep 0.5; done
  BOOTSTRAP=$(cat "$DIR/bootstrap")
  if [ "$1" = postgres ]; then
    DATASOURCE=$(cat "$DIR/postgres")
    # PostgreSQL detaches from the Java process that starts it: found by its port.
    PG_PORT=$(sed -E 's|.*jdbc:postgresql://[^:]+:([0-9]+)/.*|\1|' <<< "$DATASOURCE")
    POSTMASTER=$(pgrep -f -- "bin/postgres .*-p $PG_PORT( |$)" | head -1 || true)
  fi
}

# A frozen service whose transaction timed out meanwhile would be fenced, and restore its state: said if so.
fenced() {
  if grep -qE 'ProducerFenced|InvalidProducerEpoch|TaskMigrated' "$DIR/service.log"; then
    echo "$PREFIX: WARNING: the service was fenced or lost tasks (see $DIR/service.log): figures suspect"
  fi
}

stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; kill -CONT "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; PIDS=(); }

# incident-store from the jar $1 on this measurement's broker and PostgreSQL; more service arguments after it.
start_store() {
  local jar=$1; shift
  java -Xmx1g ${INCIDENTS_JAVA:-} -jar "$jar" --server.address=127.0.0.1 --server.port="$PORT" \
    --spring.kafka.bootstrap-servers="$BOOTSTRAP" --spring.kafka.streams.state-dir="$DIR/state" \
    --spring.kafka.streams.properties.num.stream.threads="$THREADS" $DATASOURCE --firebreak.security.anonymous-roles=operator \
    --firebreak.incidents.automation-grace=1h --logging.structured.format.console= "$@" ${INCIDENTS_ARGS:-} \
    > "$DIR/service.log" 2>&1 &
  SERVICE=$!; STORE=$SERVICE; PIDS+=("$SERVICE")
  wait_ready "http://127.0.0.1:$PORT/actuator/health/readiness" "$DIR/service.log"
}

start_pass_through() {
  java -Xmx1g -cp "$CP" dev.firebreak.benchmarks.PassThroughStreams run "$BOOTSTRAP" "$DIR/state" "$THREADS" \
    "$PARTITIONS" > "$DIR/service.log" 2>&1 &
  SERVICE=$!; PIDS+=("$SERVICE")
  for _ in $(seq 1 240); do
    grep -q '^RUNNING' "$DIR/service.log" && return 0
    kill -0 "$SERVICE" 2>/dev/null || { echo "PassThroughStreams exited, see its log:" >&2; tail -20 "$DIR/service.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "timed out: PassThroughStreams did not run" >&2; exit 1
}

# Starts counting the records of $1 ($2: from its start, or from its end now), expecting $3 (each $4 deliveries),
# giving up after $5 s; DRAINER is the counting process, its result in $DIR/drain.
start_drain() {
  rm -f "$DIR/drain.ready"
  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark drain-topic "$BOOTSTRAP" "$1" "$3" "$4" "$2" \
    "$DIR/drain.ready" "$5" > "$DIR/drain" 2>"$DIR/drain.err" &
  DRAINER=$!; PIDS+=("$DRAINER")
  for _ in $(seq 1 120); do [ -e "$DIR/drain.ready" ] && return 0; kill -0 "$DRAINER" 2>/dev/null || break; sleep 0.25; done
  echo "the drain did not start, see:" >&2; cat "$DIR/drain.err" >&2; exit 1
}
# Deliveries per second of the drain, and the deliveries it saw.
drain_rate() { sed -nE 's/.* s: ([0-9]+) deliveries\/s.*/\1/p' "$DIR/drain"; }
drain_deliveries() { sed -nE 's/^drain: [0-9]+ records \(([0-9]+) deliveries\).*/\1/p' "$DIR/drain"; }

# The warm-up, once the service is ready: the drain started before it (on preloaded alerts) until its end, CPU
# from now until the service is idle.
warm_up() {
  local s0 b0 p0 s1 b1 p1
  read -r s0 b0 p0 <<< "$(cpu_snapshot)"
  wait "$DRAINER" || true
  wait_idle
  read -r s1 b1 p1 <<< "$(cpu_snapshot)"
  cpu_per_delivery "$(drain_deliveries)" "$s0" "$b0" "$p0" "$s1" "$b1" "$p1"
  echo "$PREFIX: warm-up (first minute apart): $(cat "$DIR/drain")"
  echo "$PREFIX: warm-up (first minute apart) CPU per delivery: $CPU_LINE"
}

# One drain of a backlog on the running, idle service: the alerts (IncidentBenchmark's preload mode $6 and its
# arguments after the bootstrap) written while it is frozen, then counted on topic $2 ($3 records of $4 deliveries
# each, at most $5 s) from its thaw; CPU from the thaw until it is idle. Sets RATE, CPU_US, CPU_LINE, DELIVERIES
# and FROZEN (s the writing took); with $1 = count, the records written to the broker too ($DIR/records).
drain_backlog() {
  local count=$1 topic=$2 records=$3 per=$4 timeout=$5 mode=$6 s0 b0 p0 s1 b1 p1; shift 6
  wait_idle
  if [ "$count" = count ]; then
    java -cp "$CP" dev.firebreak.benchmarks.TopicRecords offsets "$BOOTSTRAP" "$DIR/offsets.before"
  fi
  # Nothing is written while the service is idle: counting from the end now misses nothing.
  start_drain "$topic" end "$records" "$per" "$timeout"
  kill -STOP "$SERVICE"
  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark "$mode" "$BOOTSTRAP" "$@" > "$DIR/preload" \
    || { kill -CONT "$SERVICE"; exit 1; }
  read -r s0 b0 p0 <<< "$(cpu_snapshot)"
  thread_ticks > "$DIR/threads.before"
  kill -CONT "$SERVICE"
  wait "$DRAINER" || true
  wait_idle
  read -r s1 b1 p1 <<< "$(cpu_snapshot)"
  thread_ticks > "$DIR/threads.after"
  THREADS_LINE=$(thread_shares "$DIR/threads.before" "$DIR/threads.after")
  if [ ! -s "$DIR/drain" ]; then echo "$PREFIX: the drain failed:" >&2; cat "$DIR/drain.err" >&2; fi
  RATE=$(drain_rate); DELIVERIES=$(drain_deliveries)
  FROZEN=$(sed -nE 's/.* in ([0-9.]+) s$/\1/p' "$DIR/preload")
  # Every expected delivery when complete; only those seen otherwise (the rest may still be processing).
  grep -q INCOMPLETE "$DIR/drain" || DELIVERIES=$((records * per))
  cpu_per_delivery "$DELIVERIES" "$s0" "$b0" "$p0" "$s1" "$b1" "$p1"
  if [ "$count" = count ]; then
    java -cp "$CP" dev.firebreak.benchmarks.TopicRecords offsets "$BOOTSTRAP" "$DIR/offsets.after"
    java -cp "$CP" dev.firebreak.benchmarks.TopicRecords count "$(echo "$DIR"/broker-tmp/firebreak-kafka-*/logs)" \
      "$DIR/offsets.before" "$DIR/offsets.after" "$((records * per))" > "$DIR/records"
  fi
}
# A measurement begun: its directory ($WORK/$1-<round>), its lines' prefix ($2), the service's name ($3), a fresh
# broker (and PostgreSQL if $4 = postgres), and the warm-up's alerts preloaded.
begin_measurement() {
  DIR="$WORK/$1-$round"; PREFIX="round $round $2"; SERVICE_NAME=$3; mkdir -p "$DIR"
  start_infrastructure "$4"
  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark preload "$BOOTSTRAP" "$WARMUP" warmup > /dev/null
}
# The JIT settled on alerts that join incidents ($1: the topic counted, $2: records a delivery): not measured.
settle() {
  if [ "$SETTLE" -gt 0 ]; then
    drain_backlog no "$1" $((SETTLE * 2 / $2)) "$2" 600 preload "$SETTLE" settle
    echo "$PREFIX: settle (not measured): $(cat "$DIR/drain")"
  fi
}
# The drain's lines: what it drained, its CPU per delivery, and the service's CPU by kind of thread.
report_drain() {
  echo "$PREFIX: $(cat "$DIR/drain") (written in $FROZEN s, frozen)"
  echo "$PREFIX: drain CPU per delivery: $CPU_LINE"
  echo "$PREFIX: drain CPU of the service by thread: $THREADS_LINE"
}
# One jar, everything measured on it: $1 current or baseline, $2 the jar.
run_store() {
  local name=$1 jar=$2
  begin_measurement "$name" "$name" incident-store postgres
  start_drain firebreak.incident-events start "$WARMUP" 2 300
  start_store "$jar"
  warm_up
  settle firebreak.incident-events 2
  drain_backlog count firebreak.incident-events "$DISTINCT" 2 600 preload "$DISTINCT" measured
  report_drain
  sed "s/^/$PREFIX: /" "$DIR/records"
  result "$name" drain "$RATE"; result "$name" cpu "$CPU_US"
  result "$name" records "$(sed -nE 's/^records per delivery: ([0-9.]+) .*/\1/p' "$DIR/records")"
  if [ "$name" = current ]; then LAST_DRAIN=${RATE:-0}; fi
  # Both jars of a round at the same rate: fixed by the first to get here (current, in round 1).
  if [ -z "$ROUND_RATE" ]; then ROUND_RATE=${LATENCY_RATE:-$((LAST_DRAIN / 2))}; fi
  if [ "$ROUND_RATE" -lt 100 ]; then ROUND_RATE=100; fi
  wait_idle
  java -cp "$CP" dev.firebreak.benchmarks.IncidentBenchmark latency "$BOOTSTRAP" "$ROUND_RATE" "$LATENCY_SECONDS" \
    > "$DIR/latency"
  sed "s/^/$PREFIX: /" "$DIR/latency"
  result "$name" rate "$ROUND_RATE"
  result "$name" p50 "$(sed -nE 's/.* p50 ([0-9-]+) ms.*/\1/p' "$DIR/latency")"
  result "$name" p99 "$(sed -nE 's/.* p99 ([0-9-]+) ms.*/\1/p' "$DIR/latency")"
  if [ "${FLAT:-1}" != 0 ]; then
    local sizes=""
    for size in 100 1000 10000; do
      drain_backlog no firebreak.incident-events "$SIZED" 2 120 preload-sized "$SIZED" "$size" "size$size"
      sizes="$sizes, $size alerts $CPU_US us ($RATE deliveries/s"
      if grep -q INCOMPLETE "$DIR/drain"; then sizes="$sizes, INCOMPLETE: $DELIVERIES deliveries"; fi
      sizes="$sizes)"
      result "$name" "size$size" "$CPU_US"
    done
    echo "$PREFIX: CPU per delivery by incident size: ${sizes#, }"
  fi
  fenced
  stop_all
}

# This build with the projection off: warm-up and drain only.
run_topology_alone() {
  begin_measurement topology "topology alone" incident-store postgres
  start_drain firebreak.incident-events start "$WARMUP" 2 300
  # The projection's consumer (and only it: spring.kafka.consumer.*) at a port nothing listens on.
  start_store "$CURRENT_JAR" --spring.kafka.consumer.bootstrap-servers=127.0.0.1:1
  warm_up
  settle firebreak.incident-events 2
  drain_backlog no firebreak.incident-events "$DISTINCT" 2 600 preload "$DISTINCT" measured
  report_drain
  result topology drain "$RATE"
  fenced
  stop_all
}

# PassThroughStreams: warm-up and drain, counting its output (one record per delivery).
run_pass_through() {
  begin_measurement pass-through pass-through pass-through none
  java -cp "$CP" dev.firebreak.benchmarks.PassThroughStreams create "$BOOTSTRAP" "$PARTITIONS"
  start_drain firebreak.benchmark.pass-through start $((2 * WARMUP)) 1 300
  start_pass_through
  warm_up
  settle firebreak.benchmark.pass-through 1
  drain_backlog count firebreak.benchmark.pass-through $((2 * DISTINCT)) 1 600 preload "$DISTINCT" measured
  report_drain
  sed "s/^/$PREFIX: /" "$DIR/records"
  result pass-through drain "$RATE"
  fenced
  stop_all
}

for round in $(seq 1 "$ROUNDS"); do
  started=$(date +%s); ROUND_RATE=
  if [ -z "${BASELINE_JAR:-}" ]; then run_store current "$CURRENT_JAR"
  elif [ $((round % 2)) -eq 1 ]; then run_store current "$CURRENT_JAR"; run_store baseline "$BASELINE_JAR"
  else run_store baseline "$BASELINE_JAR"; run_store current "$CURRENT_JAR"; fi
  if [ $((round % 2)) -eq 1 ]; then run_topology_alone; run_pass_through; else run_pass_through; run_topology_alone; fi
  echo "round $round took $(($(date +%s) - started)) s"
done

# Medians over the rounds; ratios this build / baseline (CPU: lower is better; rates: higher is better).
echo "medians of $ROUNDS rounds:"
awk -v baseline="${BASELINE_JAR:+1}" '
  { n = ++count[$1, $2]; val[$1, $2, n] = $3 + 0 }
  function median(name, key,   n, i, j, t, a) {
    n = count[name, key]; if (n == 0) return -1
    for (i = 1; i <= n; i++) a[i] = val[name, key, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "n/a" }
  function sizes(name,   s1, s2, s3, lo, hi) {
    s1 = median(name, "size100"); s2 = median(name, "size1000"); s3 = median(name, "size10000")
    lo = s1; hi = s1; if (s2 < lo) lo = s2; if (s3 < lo) lo = s3; if (s2 > hi) hi = s2; if (s3 > hi) hi = s3
    return sprintf("100 alerts %.0f us, 1k %.0f us, 10k %.0f us (spread %.0f %%)", s1, s2, s3, (lo > 0) ? 100 * (hi - lo) / lo : 0)
  }
  END {
    cpu = median("current", "cpu"); drain = median("current", "drain"); records = median("current", "records")
    if (baseline) {
      bcpu = median("baseline", "cpu"); bdrain = median("baseline", "drain")
      printf "cpu per delivery: %.0f us (baseline %.0f us, ratio %s)\n", cpu, bcpu, ratio(cpu, bcpu)
      printf "drain: %.0f deliveries/s (baseline %.0f, ratio %s)\n", drain, bdrain, ratio(drain, bdrain)
    } else {
      printf "cpu per delivery: %.0f us\n", cpu
      printf "drain: %.0f deliveries/s\n", drain
    }
    topology = median("topology", "drain"); pass = median("pass-through", "drain")
    printf "topology alone: %.0f deliveries/s, pass-through: %.0f deliveries/s, ratio %s\n", topology, pass, ratio(topology, pass)
    printf "latency at %.0f deliveries/s: p50 %.0f ms, p99 %.0f ms", median("current", "rate"), median("current", "p50"), median("current", "p99")
    if (baseline) printf " (baseline p50 %.0f ms, p99 %.0f ms)", median("baseline", "p50"), median("baseline", "p99")
    printf "\n"
    printf "records per delivery: %.2f (duplicate ≤2, new alert ≤4 targeted)", records
    if (baseline) printf " (baseline %.2f)", median("baseline", "records")
    printf "\n"
    if (count["current", "size100"] > 0) {
      printf "cpu per delivery by incident size: %s\n", sizes("current")
      if (baseline) printf "baseline cpu per delivery by incident size: %s\n", sizes("baseline")
    }
  }' "$WORK/results"
