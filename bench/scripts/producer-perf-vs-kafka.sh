#!/usr/bin/env bash
# Kafka's ProducerPerformance against Apache Kafka 4.3.1 and a Tributary build, interleaved (K T K T):
#   bench/scripts/producer-perf-vs-kafka.sh TRIBUTARY_TREE [ROUNDS]
# TRIBUTARY_TREE holds ops/target/tributary.jar. Kafka's broker jars come from KAFKA_LIB (default
# bench/kafka-server/target/lib, see README's compare section), ProducerPerformance from kafka-tools 4.3.1 in ~/.m2.
# Both brokers: Kafka's default JVM flags, a fresh data directory, 6 partitions, on 127.0.0.1.
# Workloads: 2,000,000 x 100 B and 500,000 x 1 KiB, none and lz4, acks=1, linger 5 ms, batch 64 KiB, max rate.
set -euo pipefail
TRIB=$(cd "$1" && pwd); ROUNDS=${2:-2}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=lib/kafka-single-node.sh
. "$HERE/bench/scripts/lib/kafka-single-node.sh"
KAFKA_LIB=${KAFKA_LIB:-$HERE/bench/kafka-server/target/lib}
TOOLS_JAR=${TOOLS_JAR:-$(ls ~/.m2/repository/org/apache/kafka/kafka-tools/4.3.1/kafka-tools-4.3.1.jar)}
JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent"
PORT=${PORT:-19092}; CPORT=$((PORT + 1))
WORK=$(mktemp -d /tmp/perf-vs-kafka.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

perf() { # label records size codec
  echo "$1 produce ${3}B $4: $(java -Xmx512m -cp "$TOOLS_JAR:$KAFKA_LIB/*" org.apache.kafka.tools.ProducerPerformance \
    --topic "perf-$4-$3" --num-records "$2" --record-size "$3" --throughput -1 --producer-props \
    bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 compression.type="$4" 2>/dev/null | tail -1)"
}
await_port() { for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.1; done; echo "no broker on $PORT" >&2; exit 2; }

for round in $(seq 1 "$ROUNDS"); do
  for broker in kafka tributary; do
    rm -rf "$WORK/data"; mkdir -p "$WORK/data"
    if [ $broker = kafka ]; then
      kafka_single_node "$WORK/kafka.properties" "$WORK/data" $PORT $CPORT "$KAFKA_LIB" num.partitions=6
      java $JVM -cp "$KAFKA_LIB/*" kafka.Kafka "$WORK/kafka.properties" > "$WORK/kafka-$round.log" 2>&1 &
    else
      java $JVM -jar "$TRIB/ops/target/tributary.jar" server --override log.dirs="$WORK/data" \
        --override listeners=PLAINTEXT://127.0.0.1:$PORT --override metrics.listener= --override num.partitions=6 \
        > "$WORK/tributary-$round.log" 2>&1 &
    fi
    pid=$!; await_port
    perf "$broker round $round" 2000000 100 none
    perf "$broker round $round" 2000000 100 lz4
    perf "$broker round $round" 500000 1024 none
    perf "$broker round $round" 500000 1024 lz4
    kill $pid; wait $pid 2>/dev/null || true
  done
done
