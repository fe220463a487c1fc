#!/bin/bash
# docs/PLUGGING-IN.md, step by step, as a new agency follows it: run it in a clean checkout after
# `npm ci`, in a network namespace of its own (the stack's fixed ports):
#   unshare -n bash -c 'ip link set lo up; scripts/plugging-in-walkthrough.sh /path/to/clean/checkout'
# It prints each step with the seconds since it began.
cd "${1:?usage: scripts/plugging-in-walkthrough.sh <clean checkout, after npm ci>}"
rm -rf agencies kir.graphql kir-v2.graphql
T0=$(date +%s)
step() { echo; echo "=== [+$(( $(date +%s) - T0 ))s] $*"; }
export DATA_DIR="${DATA_DIR:-/tmp/plugging-in-data}"
rm -rf "$DATA_DIR" && mkdir -p "$DATA_DIR"
keys=""
for a in dispendukcapil dpmptsp bpkpd dinkesdalduk dinsos bkpsdm dishub; do keys="$keys${keys:+,}$a=dev-ticket-feed-key-$a"; done
step "hub: npm start (TICKET_FEED_KEYS adds dishub)"
TICKET_FEED_KEYS=$keys setsid npm start > "$DATA_DIR/start.log" 2>&1 &
START_PID=$!
for i in $(seq 1 240); do grep -q "Gerbang is up" "$DATA_DIR/start.log" && break; sleep 1; done
grep "Gerbang is up" "$DATA_DIR/start.log" || { tail -30 "$DATA_DIR/start.log"; kill $START_PID; exit 1; }

step "1. scaffold"
npm run -s agency:new -- kir --agency dishub --service dishub.uji-kir | head -3
step "2. its tests"
npx vitest run --config agencies/kir/vitest.config.ts 2>&1 | grep -E "Tests|passed|failed"
step "3. run it as its own process (port 4200)"
(cd agencies/kir && PORT=4200 LOG_LEVEL=warn TICKET_SYNC_INTERVAL_MS=1000 exec node --import tsx src/main.ts) > "$DATA_DIR/sub.log" 2>&1 &
KIR_PID=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:4200/health/ready >/dev/null && break; sleep 0.5; done
curl -s http://127.0.0.1:4200/health/ready; echo
step "4. conformance: gerbang subgraph verify"
INTERNAL_SIGNING_SECRET=dev-internal-signing-secret-change-me npx gerbang subgraph verify --name kir --url http://127.0.0.1:4200/graphql; echo "exit $?"
step "5. SDL, token, check, publish"
(cd agencies/kir && npx tsx src/print-sdl.ts) > kir.graphql
export GERBANG_TOKEN=$(npm run -s token -- publisher:kir)
npx gerbang subgraph check --name kir --schema kir.graphql; echo "exit $?"
npx gerbang subgraph publish --name kir --schema kir.graphql --routing-url http://127.0.0.1:4200/graphql --commit $(git rev-parse --short HEAD); echo "exit $?"
npx gerbang subgraph list; echo "exit $?"
step "6. me.tickets as warga.siti, through the running gateway"
SITI=$(npm run -s token -- warga.siti)
Q='{"query":"query KirTickets { me { tickets(first: 20) { id status agency { id name } service { id name } kirBooking { code status subject } } } }"}'
for i in $(seq 1 20); do
  OUT=$(curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $SITI" -H 'apollographql-client-name: portal' -d "$Q")
  echo "$OUT" | grep -q '"kirBooking":{' && break; sleep 1
done
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([t for t in d["data"]["me"]["tickets"] if t["id"].startswith("dishub:")], indent=1)); print("errors:", d.get("errors"))'
sleep 11   # the gateway writes served operations every 10 s
step "7. a breaking change (subject removed) deployed as a new version on port 4201, refused"
python3 - <<'PY'
p='agencies/kir/src/schema.ts'
s=open(p).read()
s=s.replace("""  @Field(() => String, { description: 'What the booking is for.' })
  subject!: string;
""","")
s=s.replace("subject: b.subject, ","")
open(p,'w').write(s)
PY
(cd agencies/kir && PORT=4201 LOG_LEVEL=warn TICKET_SYNC_INTERVAL_MS=0 exec node --import tsx src/main.ts) > "$DATA_DIR/sub2.log" 2>&1 &
KIR2_PID=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:4201/health/ready >/dev/null && break; sleep 0.5; done
(cd agencies/kir && npx tsx src/print-sdl.ts) > kir-v2.graphql
npx gerbang subgraph publish --name kir --schema kir-v2.graphql --routing-url http://127.0.0.1:4201/graphql; echo "exit $?"
step "8. forced by an admin, with a reason; the log"
ADMIN=$(npm run -s token -- admin)
npx gerbang subgraph publish --name kir --schema kir-v2.graphql --routing-url http://127.0.0.1:4201/graphql --force --reason "demo: subject moves to a new field" --token $ADMIN; echo "exit $?"
npx gerbang subgraph log --name kir --token $ADMIN; echo "exit $?"
sleep 1
curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $SITI" -d "$Q" | head -c 300; echo
step "9. rollback to the version before"
PREV=$(npx gerbang supergraph list --json --token $ADMIN | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][1]["id"])')
npx gerbang supergraph rollback --to $PREV --reason "demo: the portal still reads subject" --token $ADMIN; echo "exit $?"
sleep 1
curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $SITI" -d "$Q" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([t["kirBooking"] for t in d["data"]["me"]["tickets"] if t["id"].startswith("dishub:")], d.get("errors"))'
step "done"
kill $KIR_PID $KIR2_PID
kill -TERM -- -$START_PID; wait $START_PID
