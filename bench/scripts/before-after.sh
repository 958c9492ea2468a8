#!/usr/bin/env bash
# Before/after figures of two Tributary builds, interleaved on one machine (A B A B), for a change's closing note:
#   bench/scripts/before-after.sh BEFORE_DIR AFTER_DIR [ROUNDS]
# Each DIR is a source tree built with `mvn -pl ops,bench -am package -DskipTests` (ops/target/tributary.jar,
# bench/target/tributary-bench.jar). Kafka's ProducerPerformance comes from KAFKA_LIB (default
# bench/kafka-server/target/lib of AFTER_DIR plus kafka-tools from ~/.m2). Per round and build:
#   - `tributary-bench storage --only append,read` (the log module alone, best of 3);
#   - a fresh broker (Kafka's default JVM flags, 6 partitions, data in a temporary directory) and ProducerPerformance
#     2,000,000 x 100 B and 500,000 x 1 KiB, compression none and lz4, acks=1, linger 5 ms, batch 64 KiB.
# Prints one line per measurement; the ratios are worked out from them (after / before per round, then the median).
set -euo pipefail
BEFORE=$(cd "$1" && pwd); AFTER=$(cd "$2" && pwd); ROUNDS=${3:-2}
KAFKA_LIB=${KAFKA_LIB:-$AFTER/bench/kafka-server/target/lib}
TOOLS_JAR=${TOOLS_JAR:-$(ls ~/.m2/repository/org/apache/kafka/kafka-tools/4.3.1/kafka-tools-4.3.1.jar)}
JVM="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent"
PORT=${PORT:-19092}
WORK=$(mktemp -d /tmp/before-after.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

perf() { # label records size codec
  local out
  out=$(java -Xmx512m -cp "$TOOLS_JAR:$KAFKA_LIB/*" org.apache.kafka.tools.ProducerPerformance --topic "perf-$4-$3" \
    --num-records "$2" --record-size "$3" --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 \
    linger.ms=5 batch.size=65536 compression.type="$4" 2>/dev/null | tail -1)
  echo "$1 produce ${3}B $4: $out"
}

for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    dir=$BEFORE; [ $build = after ] && dir=$AFTER
    echo "$build round $round storage: $(java $JVM -jar "$dir/bench/target/tributary-bench.jar" storage --only append,read \
      --append-mib 512 --read-mib 512 --rounds 3 --dir "$WORK/storage" 2>&1 | grep -iE 'append|read' | tr '\n' ' ')"
    rm -rf "$WORK/storage" "$WORK/data"
    java $JVM -jar "$dir/ops/target/tributary.jar" server --override log.dirs="$WORK/data" \
      --override listeners=PLAINTEXT://127.0.0.1:$PORT --override metrics.listener= --override num.partitions=6 \
      > "$WORK/broker-$build-$round.log" 2>&1 &
    broker=$!
    for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
    perf "$build round $round" 2000000 100 none
    perf "$build round $round" 2000000 100 lz4
    perf "$build round $round" 500000 1024 none
    perf "$build round $round" 500000 1024 lz4
    kill $broker; wait $broker 2>/dev/null || true
  done
done
