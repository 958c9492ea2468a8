#!/usr/bin/env bash
# Issue 19's measurement: produce throughput into a compression.type=zstd topic from an uncompressed producer, on
# Apache Kafka 4.3.1 and on a Tributary build, interleaved (K T K T):
#   bench/scripts/recompression-vs-kafka.sh TRIBUTARY_TREE [ROUNDS] [RECORDS] [RECORD_SIZE]
# TRIBUTARY_TREE holds ops/target/tributary.jar. Kafka's broker jars: KAFKA_LIB (default bench/kafka-server/target/lib);
# its tools (TopicCommand, ProducerPerformance): TOOLS_LIB (default bench/kafka-tools/target/lib). Both brokers: Kafka's
# default JVM flags, a fresh data directory, on 127.0.0.1; the topic has 6 partitions and compression.type=zstd; the
# producer sends uncompressed with acks=1, linger 5 ms, batch 64 KiB, at full speed.
set -euo pipefail
TRIB=$(cd "$1" && pwd); ROUNDS=${2:-2}; RECORDS=${3:-500000}; SIZE=${4:-100}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=lib/kafka-single-node.sh
. "$HERE/bench/scripts/lib/kafka-single-node.sh"
KAFKA_LIB=${KAFKA_LIB:-$HERE/bench/kafka-server/target/lib}
TOOLS_LIB=${TOOLS_LIB:-$HERE/bench/kafka-tools/target/lib}
JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent"
PORT=${PORT:-19092}; CPORT=$((PORT + 1)); BOOT=127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/recompress-vs-kafka.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
tool() { java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS_LIB/*" "$@"; }
await_port() { for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.1; done; echo "no broker on $PORT" >&2; exit 2; }

for round in $(seq 1 "$ROUNDS"); do
  for broker in kafka tributary; do
    rm -rf "$WORK/data"; mkdir -p "$WORK/data"
    if [ $broker = kafka ]; then
      kafka_single_node "$WORK/kafka.properties" "$WORK/data" $PORT $CPORT "$KAFKA_LIB"
      java $JVM -cp "$KAFKA_LIB/*" kafka.Kafka "$WORK/kafka.properties" > "$WORK/kafka-$round.log" 2>&1 &
    else
      java $JVM -jar "$TRIB/ops/target/tributary.jar" server --override log.dirs="$WORK/data" \
        --override listeners=PLAINTEXT://$BOOT --override metrics.listener= > "$WORK/tributary-$round.log" 2>&1 &
    fi
    pid=$!; await_port
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic zstd-topic --partitions 6 \
      --config compression.type=zstd > /dev/null
    echo "$broker round $round: $(tool org.apache.kafka.tools.ProducerPerformance --topic zstd-topic --num-records "$RECORDS" \
      --record-size "$SIZE" --throughput -1 --producer-props bootstrap.servers=$BOOT acks=1 linger.ms=5 batch.size=65536 \
      compression.type=none 2>/dev/null | tail -1); on disk $(du -sk "$WORK"/data/zstd-topic-* | awk '{s+=$1} END {print s}') KiB"
    kill $pid; wait $pid 2>/dev/null || true
  done
done
