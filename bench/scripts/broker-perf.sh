#!/usr/bin/env bash
# Runs Apache Kafka's own performance tools (kafka-tools 4.3.1 from Maven Central) against a Tributary
# broker started here on a scratch directory, and prints the figures the broker issue asks for:
#   - ProducerPerformance: 2,000,000 x 100 B and 1,000,000 x 1 KiB to a 6-partition topic,
#     acks=1, linger.ms=5, batch.size=65536, compression none and lz4
#   - the consume-back rate: ConsumerPerformance (a consumer group, subscribe and auto-commit)
#   - end-to-end latency (EndToEndLatency) and producer latency percentiles at a fixed 20,000 records/s
#   - broker start-up time to a listening port, and resident memory after the runs
# Usage: bench/scripts/broker-perf.sh [port]     (numbers are from one run on this machine)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${1:-19092}
BOOT=127.0.0.1:$PORT
TOOLS="$ROOT/bench/kafka-tools/target/lib"
WORK=$(mktemp -d /tmp/tributary-perf.XXXXXX)
trap 'kill $BROKER 2>/dev/null || true; wait $BROKER 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -d "$TOOLS" ] || mvn -B -q -f "$ROOT/bench/kafka-tools/pom.xml" dependency:copy-dependencies -DoutputDirectory=target/lib
[ -f "$ROOT/server/target/tributary-server.jar" ] && [ -f "$ROOT/bench/target/tributary-bench.jar" ] \
  || (cd "$ROOT" && mvn -B -q -pl server,bench -am package -DskipTests)
tool() { java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS/*" "$@"; }

start_ms=$(date +%s%3N)
java -Xms256m -Xmx1g -XX:+UseG1GC -jar "$ROOT/server/target/tributary-server.jar" \
  --override listeners=PLAINTEXT://$BOOT --override log.dirs="$WORK/data" > "$WORK/broker.log" 2>&1 &
BROKER=$!
for _ in $(seq 1 600); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then break; fi
  sleep 0.05
done
echo "broker start-up to listening port: $(( $(date +%s%3N) - start_ms )) ms (JVM start included)"

run_producer() { # topic records size codec
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic "$1" --partitions 6 >/dev/null
  echo "ProducerPerformance: $2 x $3 B, $4, acks=1 linger.ms=5 batch.size=65536"
  tool org.apache.kafka.tools.ProducerPerformance --topic "$1" --num-records "$2" --record-size "$3" --throughput -1 \
    --producer-props bootstrap.servers=$BOOT acks=1 linger.ms=5 batch.size=65536 compression.type="$4" | tail -1
  echo "ConsumerPerformance: the same $2 records back, group perf-$1 (rebalance time reported apart)"
  tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server $BOOT --topic "$1" --messages "$2" \
    --group "perf-$1" --timeout 60000 2>/dev/null | tail -2
}
run_producer p100-none 2000000 100 none
run_producer p100-lz4 2000000 100 lz4
run_producer p1k-none 1000000 1024 none
run_producer p1k-lz4 1000000 1024 lz4

tool org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic e2e --partitions 6 >/dev/null
echo "producer latency at a fixed 20,000 records/s (100 B, acks=1):"
tool org.apache.kafka.tools.ProducerPerformance --topic e2e --num-records 400000 --record-size 100 --throughput 20000 \
  --producer-props bootstrap.servers=$BOOT acks=1 linger.ms=5 batch.size=65536 | tail -1
tool org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic e2e-rt --partitions 1 >/dev/null
echo "EndToEndLatency (one record at a time, produce -> consume), 20,000 x 100 B, acks=1:"
tool org.apache.kafka.tools.EndToEndLatency --bootstrap-server $BOOT --topic e2e-rt --num-records 20000 --producer-acks 1 --record-size 100 2>&1 | tail -2 || true

echo "broker resident memory after the runs: $(( $(ps -o rss= -p $BROKER) / 1024 )) MiB"
