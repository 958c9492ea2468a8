#!/usr/bin/env bash
# Where a Tributary broker's CPU goes under Apache Kafka's own tools, window by window (docs/performance/broker-cpu-2026-12-06.md):
#   bench/scripts/cpu-breakdown/suite.sh JAR OUT_DIR [PORT] ["EXTRA JVM OPTIONS"]
# Starts the broker from JAR (the launcher's heap flags, plus EXTRA: e.g. JFR or -XX:TieredStopAtLevel=1), idles 20 s, then
# runs a shortened kafka-tools-vs-kafka.sh suite (ProducerPerformance 500,000 x 100 B and 200,000 x 1 KiB, none and lz4,
# each consumed back with ConsumerPerformance, a fixed-rate 20,000/s run of 100,000 records, EndToEndLatency 3,000 round
# trips), then idles 20 s more. Around each window it snapshots the broker's per-thread CPU (/proc/PID/task/*/stat), its
# process CPU and its read/write syscall counts (/proc/PID/io). wintab.sh OUT_DIR prints the table. Profile, not a timing:
# the tools share the cores with the broker, so the throughput lines are only a sanity check.
set -uo pipefail
JAR=$1; OUT=$2; PORT=${3:-29092}; EXTRA=${4:-}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=../lib/kafka-single-node.sh
. "$ROOT/bench/scripts/lib/kafka-single-node.sh"
TOOLS_LIB=${TOOLS_LIB:-$ROOT/bench/kafka-tools/target/lib}
mkdir -p $OUT; rm -rf $OUT/data; : > $OUT/windows.txt
threads() { # name utime stime per thread
  for t in /proc/$B/task/*; do
    local tn; tn=$(cat $t/comm 2>/dev/null | tr ' ' '_'); local s; s=$(cat $t/stat 2>/dev/null) || continue
    rest=${s##*) }; set -- $rest; echo "$(basename $t) $tn ${12} ${13}"
  done
}
snap() { threads > $OUT/snap-$1.txt; grep -E 'syscr|syscw' /proc/$B/io > $OUT/io-$1.txt 2>/dev/null; awk '{print $14, $15}' /proc/$B/stat > $OUT/proc-$1.txt; date +%s%3N > $OUT/t-$1.txt; }
java -Xms256m -Xmx1g -XX:+UseG1GC $EXTRA \
  -jar $JAR server --override log.dirs=$OUT/data --override listeners=PLAINTEXT://127.0.0.1:$PORT --override metrics.listener=127.0.0.1:$((PORT+500)) > $OUT/broker.log 2>&1 &
B=$!; echo $B > $OUT/pid
for _ in $(seq 1 600); do grep -q 'started in' $OUT/broker.log && break; sleep 0.1; done
sleep 5
snap idle0; sleep 20; snap idle1
run() { # name cmd...
  local name=$1; shift; snap $name-0; "$@" > $OUT/$name.out 2>&1; snap $name-1; echo "$name $(cat $OUT/t-$name-0.txt) $(cat $OUT/t-$name-1.txt)" >> $OUT/windows.txt; tail -1 $OUT/$name.out; }
for spec in "p100-none 500000 100 none" "p100-lz4 500000 100 lz4" "p1k-none 200000 1024 none" "p1k-lz4 200000 1024 lz4"; do
  read -r topic n size codec <<< "$spec"
  kafka_tool -Xmx256M org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic $topic --partitions 6 --replication-factor 1 >/dev/null
  run produce-$topic kafka_tool -Xmx512M org.apache.kafka.tools.ProducerPerformance --topic $topic --num-records $n --record-size $size --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 compression.type=$codec
  run consume-$topic kafka_tool -Xmx512M org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$PORT --topic $topic --num-records $n --group g-$topic --timeout 60000
done
kafka_tool -Xmx256M org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic fixed --partitions 6 --replication-factor 1 >/dev/null
run fixed kafka_tool -Xmx512M org.apache.kafka.tools.ProducerPerformance --topic fixed --num-records 100000 --record-size 100 --throughput 20000 --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536
kafka_tool -Xmx256M org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic e2e --partitions 1 --replication-factor 1 >/dev/null
run e2e kafka_tool -Xmx256M org.apache.kafka.tools.EndToEndLatency 127.0.0.1:$PORT e2e 3000 1 100
run idle-after sleep 20
snap end; kill $B; wait $B
