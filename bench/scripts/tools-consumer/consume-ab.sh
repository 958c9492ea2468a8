#!/usr/bin/env bash
# What sets ConsumerPerformance's rate against each broker (docs/performance/tools-consumer-2026-12-06.md):
#   bench/scripts/tools-consumer/consume-ab.sh [ROUNDS] [REPEATS] [RECORD_SIZE] [CODEC]     (defaults 2 3 1024 none)
# Per round, Kafka then Tributary (each from its own launcher with its defaults, a fresh broker and directory, as
# kafka-tools-vs-kafka.sh starts them): one ProducerPerformance of 1,000,000 records (acks=1, linger 5 ms, batch
# 64 KiB, 6 partitions), then ConsumerPerformance of them REPEATS times, each in a new group. Per consumer run it
# prints the tool's fetch rate, the broker's CPU ticks (10 ms) and its busiest threads, and the consumer JVM's main
# thread and whole process in their busiest second (sampled every 100 ms from /proc). THREADS=1 adds the broker's
# per-thread split.
set -euo pipefail
ROUNDS=${1:-2}; REPEATS=${2:-3}; SIZE=${3:-1024}; CODEC=${4:-none}; N=${N:-1000000}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=../lib/kafka-single-node.sh
. "$ROOT/bench/scripts/lib/kafka-single-node.sh"
KAFKA_LIB=$ROOT/bench/kafka-server/target/lib; TOOLS_LIB=$ROOT/bench/kafka-tools/target/lib
PORT=${PORT:-19192}; CPORT=$((PORT + 1)); WORK=$(mktemp -d /tmp/consume-ab.XXXXXX); BROKER=
cleanup() { [ -n "$BROKER" ] && kill "$BROKER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
threads() { # per thread name (digits folded): user + system ticks
  for t in /proc/$1/task/*; do
    echo "$(tr ' ' '_' < "$t/comm") $(sed -E 's/^.*\) //' "$t/stat" | awk '{print $12 + $13}')"
  done | sed -E 's/[0-9]+ / /; s/-[0-9]+ / /' | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
busiest_threads() { join -a2 -e0 -o 0,1.2,2.2 "$1" "$2" | awk '{d = $3 - $2; if (d > 0) print d, $1}' | sort -rn | head -12 | tr '\n' ';'; }
sample_main() { # PID OUT: every 100 ms "ms main-thread-ticks process-ticks" (the JVM's main thread is its second task)
  local pid=$1 out=$2 tid=
  for _ in $(seq 1 50); do tid=$(ls "/proc/$pid/task" 2>/dev/null | sort -n | sed -n 2p); [ -n "$tid" ] && break; sleep 0.02; done
  [ -n "$tid" ] || return 0
  while [ -e "/proc/$pid/task/$tid/stat" ]; do
    echo "$(date +%s%3N) $(sed -E 's/^.*\) //' "/proc/$pid/task/$tid/stat" 2>/dev/null | awk '{print $12 + $13}') $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null)" >> "$out"
    sleep 0.1
  done
}
busiest_second() { python3 - "$1" <<'PY'
import sys
rows = [tuple(int(x) for x in line.split()) for line in open(sys.argv[1]) if len(line.split()) == 3]
best = (0.0, 0.0)
for i, a in enumerate(rows):
    for b in rows[i:]:
        if b[0] - a[0] >= 1000:
            dt = (b[0] - a[0]) / 1000
            main, proc = (b[1] - a[1]) / 100 / dt, (b[2] - a[2]) / 100 / dt
            best = max(best, (main, proc))
            break
print(f"consumer busiest 1 s: main thread {best[0]:.2f} core, process {best[1]:.2f}")
PY
}
for round in $(seq 1 "$ROUNDS"); do for broker in kafka tributary; do
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  if [ $broker = kafka ]; then
    kafka_single_node "$WORK/kafka.properties" "$WORK/data" $PORT $CPORT "$KAFKA_LIB"
    # shellcheck disable=SC2086
    (exec java $KAFKA_SERVER_JVM_OPTS -cp "$KAFKA_LIB/*" kafka.Kafka "$WORK/kafka.properties") > "$WORK/broker.log" 2>&1 &
  else
    (exec "$ROOT/bin/tributary" server --override log.dirs="$WORK/data" --override listeners=PLAINTEXT://127.0.0.1:$PORT) > "$WORK/broker.log" 2>&1 &
  fi
  BROKER=$!
  for _ in $(seq 1 600); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
    kill -0 $BROKER 2>/dev/null || { echo "$broker exited; its log:" >&2; tail -20 "$WORK/broker.log" >&2; exit 1; }
    sleep 0.1
  done
  sleep 1
  kafka_tool -Xmx256M org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic t --partitions 6 --replication-factor 1 > /dev/null
  kafka_tool -Xmx512M org.apache.kafka.tools.ProducerPerformance --topic t --num-records "$N" --record-size "$SIZE" --throughput -1 \
    --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 compression.type="$CODEC" > /dev/null 2>&1
  for rep in $(seq 1 "$REPEATS"); do
    c0=$(cpu_ticks $BROKER); threads $BROKER > "$WORK/threads0"; rm -f "$WORK/samples"
    (KAFKA_TOOL_EXEC=exec kafka_tool -Xmx512M org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$PORT \
      --topic t --num-records "$N" --group "g-$rep" --timeout 60000) > "$WORK/consumer.out" 2>/dev/null &
    consumer=$!; sample_main $consumer "$WORK/samples" & sampler=$!
    wait $consumer; wait $sampler || true
    c1=$(cpu_ticks $BROKER); threads $BROKER > "$WORK/threads1"
    # start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    line=$(tail -1 "$WORK/consumer.out")
    echo "$broker r$round rep$rep load $(cut -d' ' -f1 /proc/loadavg) broker_cpu_ticks $((c1 - c0)): $(awk -F', ' '{print "fetch.ms=" $8 " fetch.nMsg.sec=" $10 " rebalance.ms=" $7}' <<< "$line")"
    busiest_second "$WORK/samples"
    if [ -n "${THREADS:-}" ]; then echo "  broker threads (ticks): $(busiest_threads "$WORK/threads0" "$WORK/threads1")"; fi
  done
  kill $BROKER; wait $BROKER 2>/dev/null || true; BROKER=
done; done
