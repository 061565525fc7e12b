#!/usr/bin/env bash
# The README's run command, checked: ./firebreak up on spare ports, ./firebreak demo, the
# demo's incidents visible in the query API, then ./firebreak down; everything it started
# is stopped on exit. Data goes to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export FIREBREAK_DATA=$(mktemp -d /tmp/firebreak-smoke.XXXXXX)
export FIREBREAK_KAFKA_PORT=19092 FIREBREAK_KAFKA_CONTROLLER_PORT=19093 FIREBREAK_POSTGRES_PORT=15432
export FIREBREAK_INGEST_PORT=18180 FIREBREAK_STORE_PORT=18181 FIREBREAK_ENGINE_PORT=18182 FIREBREAK_NOTIFIER_PORT=18183
./firebreak up > "$FIREBREAK_DATA/up.out" 2>&1 &
UP=$!
finish() { ./firebreak down >/dev/null 2>&1 || true; wait "$UP" 2>/dev/null || true; rm -rf "$FIREBREAK_DATA"; }
trap finish EXIT
for _ in $(seq 1 600); do
  grep -q 'Firebreak is up' "$FIREBREAK_DATA/up.out" && break
  kill -0 "$UP" 2>/dev/null || { cat "$FIREBREAK_DATA/up.out"; tail -50 "$FIREBREAK_DATA"/logs/*.log; exit 1; }
  sleep 1
done
grep -q 'Firebreak is up' "$FIREBREAK_DATA/up.out" || { echo "not up within 10 minutes"; exit 1; }
./firebreak demo | tee "$FIREBREAK_DATA/demo.out"
for alert in ServiceDown DatabaseConnectionsHigh DiskSpaceHigh HighErrorRate; do
  grep -q "\"title\":\"$alert" "$FIREBREAK_DATA/demo.out" || { echo "no $alert incident"; exit 1; }
done
for _ in $(seq 1 30); do
  grep -q 'REMEDIATION_SKIPPED: dry run: would run \[systemctl, restart, checkout.service\]' "$FIREBREAK_DATA/demo.out" && break
  sleep 2; ./firebreak show > "$FIREBREAK_DATA/demo.out"
done
grep -q 'REMEDIATION_SKIPPED: dry run: would run \[systemctl, restart, checkout.service\]' "$FIREBREAK_DATA/demo.out" \
  || { cat "$FIREBREAK_DATA/demo.out"; echo "no dry-run remediation for ServiceDown"; exit 1; }
# The console: signed in with the generated operator token (its form's CSRF token and the
# session cookie, as a browser would), the demo's incidents are listed.
JAR="$FIREBREAK_DATA/console.cookies" CONSOLE="http://127.0.0.1:$FIREBREAK_STORE_PORT/console"
CSRF=$(curl -sf -c "$JAR" "$CONSOLE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p')
curl -sf -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "token=$(cat "$FIREBREAK_DATA/secrets/operator-token")" \
  --data-urlencode "_csrf=$CSRF" "$CONSOLE/login"
curl -sf -b "$JAR" "$CONSOLE/incidents" | grep -q '>ServiceDown' || { echo "the console does not list the demo's incidents"; exit 1; }
# The offline check of runbooks: the shipped catalogue passes, a broken runbook is refused
# with its file and field.
./firebreak runbooks check remediation-engine/src/main/resources/runbooks > "$FIREBREAK_DATA/check.out"
grep -q '^ok  rollout-restart-application (rollout-restart-application.yaml): steps pods (kubernetes, diagnostic), logs (kubernetes, diagnostic), restart (kubernetes)' "$FIREBREAK_DATA/check.out" \
  && grep -q ' runbooks valid\.$' "$FIREBREAK_DATA/check.out" || { cat "$FIREBREAK_DATA/check.out"; exit 1; }
mkdir "$FIREBREAK_DATA/broken"
printf 'id: Broken\nmatch: { labels: { alertname: X } }\naction: { type: ssh }\n' > "$FIREBREAK_DATA/broken/broken.yaml"
if ./firebreak runbooks check "$FIREBREAK_DATA/broken" 2> "$FIREBREAK_DATA/check.err"; then
  echo "a broken runbook passed the check"; exit 1
fi
grep -q "broken.yaml: action.type: 'ssh' does not have a value in the enumeration" "$FIREBREAK_DATA/check.err" || { cat "$FIREBREAK_DATA/check.err"; exit 1; }
echo "local run: up, demo and down work; the console lists the demo; runbooks check works"
