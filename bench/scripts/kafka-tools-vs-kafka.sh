#!/usr/bin/env bash
# Apache Kafka's own tools against Apache Kafka 4.3.1 and Tributary, as a new user would run them, rounds
# interleaved (Kafka, Tributary, Kafka, Tributary, ...), a fresh broker and data directory for each:
#   bench/scripts/kafka-tools-vs-kafka.sh [-n ROUNDS] [-o OUT_DIR] [-s]      (-s: a short smoke run, not figures)
# Each broker starts with its own launcher's defaults: Kafka as kafka-server-start.sh starts it (-Xmx1G -Xms1G and
# kafka-run-class.sh's G1 flags, a single combined KRaft node, storage formatted beforehand), Tributary with
# `bin/tributary server` (its heap flags and class-data archive; the archive is made before the first timed start).
# Only the data directory and the listener port are set; every other setting is each broker's default.
# The tools run with the heaps their Kafka scripts give them (perf tests -Xmx512M, others -Xmx256M) and share the
# machine's cores with the broker. Per round and broker, in this order:
#   start-up       launcher fork to the first TCP connect on the listener
#   produce        ProducerPerformance, 2,000,000 x 100 B and 1,000,000 x 1 KiB, compression none and lz4, acks=1,
#                  linger.ms=5, batch.size=65536, max rate, each to its own topic of 6 partitions
#   consume        ConsumerPerformance of the same records back (a new group; its fetch rate excludes the join)
#   fixed rate     ProducerPerformance at 20,000 records/s x 100 B for 400,000 records (p99 and p99.9 of send to ack),
#                  and the same without its first 5% (the tool's --warmup-records steady-state line)
#   end to end     EndToEndLatency, 10,000 round trips of one 100 B record (acks=1), on a 1-partition topic
#   broker CPU     user + system seconds of the broker JVM from listening to the end of the round (/proc/PID/stat)
#   memory         the broker's resident memory after the round (/proc/PID/status VmRSS)
# Writes OUT_DIR/raw.log (every tool's last lines) and OUT_DIR/summary.md (every round, and the ratio T/K of each).
set -euo pipefail
ROUNDS=2; OUT=bench-results/kafka-tools; SMOKE=0
while getopts "n:o:s" opt; do
  case $opt in
    n) ROUNDS=$OPTARG ;;
    o) OUT=$OPTARG ;;
    s) SMOKE=1 ;;
    *) echo "usage: $0 [-n ROUNDS] [-o OUT_DIR] [-s]" >&2; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=lib/kafka-single-node.sh
. "$ROOT/bench/scripts/lib/kafka-single-node.sh"
KAFKA_LIB=$ROOT/bench/kafka-server/target/lib
TOOLS_LIB=$ROOT/bench/kafka-tools/target/lib
[ -d "$KAFKA_LIB" ] || mvn -B -q -f "$ROOT/bench/kafka-server/pom.xml" dependency:copy-dependencies -DoutputDirectory=target/lib
[ -d "$TOOLS_LIB" ] || mvn -B -q -f "$ROOT/bench/kafka-tools/pom.xml" dependency:copy-dependencies -DoutputDirectory=target/lib
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw.log; : > "$RAW"

# sizes: the smoke run only checks that every step runs and parses
if [ $SMOKE = 1 ]; then N100=20000; N1K=10000; NFIXED=20000; NE2E=200; else N100=2000000; N1K=1000000; NFIXED=400000; NE2E=10000; fi
PORT=${PORT:-19092}; CPORT=$((PORT + 1))
WORK=$(mktemp -d /tmp/kafka-tools-vs-kafka.XXXXXX)
BROKER=
cleanup() { [ -n "$BROKER" ] && kill "$BROKER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
record() { echo "$1|$2|$3|$4" >> "$WORK/figures"; } # round broker figure value
create_topic() { kafka_tool -Xmx256M org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic "$1" --partitions "$2" --replication-factor 1 > /dev/null; }

run_kafka() {
  # shellcheck disable=SC2086
  exec java $KAFKA_SERVER_JVM_OPTS -cp "$KAFKA_LIB/*" kafka.Kafka "$WORK/kafka.properties"
}
start_tributary() {
  exec "$ROOT/bin/tributary" server --override log.dirs="$WORK/data" --override listeners=PLAINTEXT://127.0.0.1:$PORT
}

# The launcher builds the jar and the class-data archive on first use: do that before anything is timed.
echo "preparing bin/tributary (jar and class-data archive)..." >&2
rm -rf "$WORK/data"; mkdir -p "$WORK/data"
(start_tributary) > "$WORK/prepare.log" 2>&1 &
BROKER=$!
for _ in $(seq 1 3000); do grep -q 'Tributary broker .* started in' "$WORK/prepare.log" && break; kill -0 $BROKER 2>/dev/null || break; sleep 0.1; done
kill $BROKER; wait $BROKER 2>/dev/null || true; BROKER=

for round in $(seq 1 "$ROUNDS"); do
  for broker in kafka tributary; do
    rm -rf "$WORK/data"; mkdir -p "$WORK/data"
    if [ $broker = kafka ]; then kafka_single_node "$WORK/kafka.properties" "$WORK/data" $PORT $CPORT "$KAFKA_LIB"; fi
    sync; sleep 2
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "== $broker round $round (load $load)" | tee -a "$RAW" >&2
    t0=$(now_ms)
    if [ $broker = kafka ]; then (run_kafka) > "$WORK/$broker-$round.log" 2>&1 &
    else (start_tributary) > "$WORK/$broker-$round.log" 2>&1 & fi
    BROKER=$!
    listen=-1
    while [ $(( $(now_ms) - t0 )) -lt 120000 ]; do
      if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then listen=$(( $(now_ms) - t0 )); break; fi
      sleep 0.01
    done
    [ $listen -ge 0 ] || { echo "$broker did not listen; its log:" >&2; tail -20 "$WORK/$broker-$round.log" >&2; exit 1; }
    # the broker JVM: Kafka's subshell execs java, Tributary's execs the launcher, which execs java
    record "$round" $broker startup_ms "$listen"; record "$round" $broker load "$load"
    cpu0=$(cpu_ticks $BROKER)

    for spec in "p100-none $N100 100 none" "p100-lz4 $N100 100 lz4" "p1k-none $N1K 1024 none" "p1k-lz4 $N1K 1024 lz4"; do
      read -r topic n size codec <<< "$spec"
      create_topic "$topic" 6
      line=$(kafka_tool -Xmx512M org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$n" --record-size "$size" \
        --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 \
        compression.type="$codec" 2>/dev/null | tail -1)
      echo "$broker r$round produce $topic: $line" >> "$RAW"
      record "$round" $broker "produce_$topic" "$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<< "$line")"
      line=$(kafka_tool -Xmx512M org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$PORT --topic "$topic" \
        --num-records "$n" --group "perf-$topic-$round" --timeout 60000 2>/dev/null | tail -1)
      echo "$broker r$round consume $topic: $line" >> "$RAW"
      # start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      record "$round" $broker "consume_$topic" "$(awk -F', ' '{print $10}' <<< "$line")"
    done

    create_topic fixed 6
    # --warmup-records adds a second, steady-state summary without the first second's records: the whole run's p99 is
    # mostly the tool's own start (its first send waits for metadata, then the throttler sends the backlog in a burst;
    # docs/performance/tools-tail-2026-12-06.md), the steady state is what the broker decides
    out=$(kafka_tool -Xmx512M org.apache.kafka.tools.ProducerPerformance --topic fixed --num-records "$NFIXED" --record-size 100 \
      --throughput 20000 --warmup-records "$((NFIXED / 20))" --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 \
      linger.ms=5 batch.size=65536 2>/dev/null | grep 'records sent')
    line=$(grep -iv 'steady' <<< "$out" | tail -1); steady=$(grep -i 'steady' <<< "$out" | tail -1)
    echo "$broker r$round fixed-rate: $line" >> "$RAW"
    echo "$broker r$round fixed-rate steady state: $steady" >> "$RAW"
    record "$round" $broker fixed_p99_ms "$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<< "$line")"
    record "$round" $broker fixed_p999_ms "$(sed -E 's/.* ([0-9]+) ms 99.9th.*/\1/' <<< "$line")"
    record "$round" $broker fixed_steady_p99_ms "$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<< "$steady")"
    record "$round" $broker fixed_steady_p999_ms "$(sed -E 's/.* ([0-9]+) ms 99.9th.*/\1/' <<< "$steady")"

    create_topic e2e 1
    out=$(kafka_tool -Xmx256M org.apache.kafka.tools.EndToEndLatency 127.0.0.1:$PORT e2e "$NE2E" 1 100 2>/dev/null | tail -2)
    echo "$broker r$round end-to-end: $(tr '\n' ' ' <<< "$out")" >> "$RAW"
    # "Avg latency: 0.9 ms" / "Percentiles: 50th = 0, 99th = 1, 99.9th = 3"
    record "$round" $broker e2e_avg_ms "$(sed -nE 's/^Avg latency: ([0-9.]+) ms.*/\1/p' <<< "$out")"
    record "$round" $broker e2e_p99_ms "$(sed -nE 's/.*99th = ([0-9.]+),.*/\1/p' <<< "$out")"
    record "$round" $broker e2e_p999_ms "$(sed -nE 's/.*99.9th = ([0-9.]+).*/\1/p' <<< "$out")"

    cpu1=$(cpu_ticks $BROKER)
    record "$round" $broker cpu_s "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", (b - a) / hz}')"
    record "$round" $broker rss_mib "$(awk '/VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$BROKER/status")"
    kill $BROKER; wait $BROKER 2>/dev/null || true; BROKER=
  done
done

python3 - "$WORK/figures" "$OUT/summary.md" "$ROUNDS" <<'PY'
import sys, collections
figures, out, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
v = collections.defaultdict(dict)
order = []
for line in open(figures):
    r, broker, name, value = line.rstrip('\n').split('|')
    if name not in order: order.append(name)
    v[name][(int(r), broker)] = value
labels = {
 'startup_ms': 'start-up, launcher to listening (ms)', 'load': 'load average at start',
 'produce_p100-none': 'ProducerPerformance 100 B none (rec/s)', 'consume_p100-none': 'ConsumerPerformance 100 B none, fetch rec/s',
 'produce_p100-lz4': 'ProducerPerformance 100 B lz4 (rec/s)', 'consume_p100-lz4': 'ConsumerPerformance 100 B lz4, fetch rec/s',
 'produce_p1k-none': 'ProducerPerformance 1 KiB none (rec/s)', 'consume_p1k-none': 'ConsumerPerformance 1 KiB none, fetch rec/s',
 'produce_p1k-lz4': 'ProducerPerformance 1 KiB lz4 (rec/s)', 'consume_p1k-lz4': 'ConsumerPerformance 1 KiB lz4, fetch rec/s',
 'fixed_p99_ms': 'fixed 20,000/s x 100 B producer p99 (ms)', 'fixed_p999_ms': 'fixed 20,000/s x 100 B producer p99.9 (ms)',
 'fixed_steady_p99_ms': 'the same, steady state (after the first 5%) p99 (ms)', 'fixed_steady_p999_ms': 'the same, steady state p99.9 (ms)',
 'e2e_avg_ms': 'EndToEndLatency avg (ms)', 'e2e_p99_ms': 'EndToEndLatency p99 (ms)', 'e2e_p999_ms': 'EndToEndLatency p99.9 (ms)',
 'cpu_s': 'broker CPU seconds, listening to end of round', 'rss_mib': 'broker resident memory after the round (MiB)'}
def num(s):
    try: return float(s)
    except ValueError: return None
rs = range(1, rounds + 1)
with open(out, 'w') as f:
    f.write('| figure | ' + ' | '.join(f'Kafka r{r}' for r in rs) + ' | ' + ' | '.join(f'Tributary r{r}' for r in rs)
            + ' | ' + ' | '.join(f'T/K r{r}' for r in rs) + ' |\n')
    f.write('| --- |' + ' ---: |' * (3 * rounds) + '\n')
    for name in order:
        k = [v[name].get((r, 'kafka'), '') for r in rs]
        t = [v[name].get((r, 'tributary'), '') for r in rs]
        ratio = []
        for a, b in zip(k, t):
            a, b = num(a), num(b)
            ratio.append('' if name == 'load' or a in (None, 0) or b is None else f'{b / a:.2f}')
        f.write(f'| {labels.get(name, name)} | ' + ' | '.join(k) + ' | ' + ' | '.join(t) + ' | ' + ' | '.join(ratio) + ' |\n')
print(open(out).read())
PY
echo "raw tool output: $RAW" >&2
