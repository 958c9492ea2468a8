#!/usr/bin/env bash
# Produce throughput into a compression.type=zstd topic from an uncompressed producer (issue 19's measurement), next to
# the same producer into a compression.type=producer topic (stored as sent), on a Tributary broker started here on a
# scratch directory. Apache Kafka's ProducerPerformance (kafka-tools 4.3.1), acks=1, linger.ms=5, batch.size=65536.
# Usage: bench/scripts/recompression-perf.sh [records] [record-size] [port]   (defaults: 500000 100 19093)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RECORDS=${1:-500000}
SIZE=${2:-100}
PORT=${3:-19093}
BOOT=127.0.0.1:$PORT
TOOLS="$ROOT/bench/kafka-tools/target/lib"
WORK=$(mktemp -d /tmp/tributary-recompress.XXXXXX)
trap 'kill $BROKER 2>/dev/null || true; wait $BROKER 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -d "$TOOLS" ] || mvn -B -q -o -f "$ROOT/bench/kafka-tools/pom.xml" dependency:copy-dependencies -DoutputDirectory=target/lib
[ -f "$ROOT/server/target/tributary-server.jar" ] || (cd "$ROOT" && mvn -B -q -o -pl server -am package -DskipTests)
tool() { java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS/*" "$@"; }

java -Xms256m -Xmx1g -XX:+UseG1GC -jar "$ROOT/server/target/tributary-server.jar" \
  --override listeners=PLAINTEXT://$BOOT --override log.dirs="$WORK/data" > "$WORK/broker.log" 2>&1 &
BROKER=$!
for _ in $(seq 1 600); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then break; fi
  sleep 0.05
done

run() { # topic compression.type
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic "$1" --partitions 6 \
    --config compression.type="$2" >/dev/null
  echo "compression.type=$2 topic, uncompressed producer: $RECORDS x $SIZE B, acks=1 linger.ms=5 batch.size=65536"
  tool org.apache.kafka.tools.ProducerPerformance --topic "$1" --num-records "$RECORDS" --record-size "$SIZE" --throughput -1 \
    --producer-props bootstrap.servers=$BOOT acks=1 linger.ms=5 batch.size=65536 compression.type=none | tail -1
}
run stored-as-sent producer
run recompressed-zstd zstd
run stored-as-sent-2 producer
run recompressed-zstd-2 zstd
echo "on disk: $(du -sk "$WORK"/data/stored-as-sent-[0-9]* | awk '{s+=$1} END {print s}') KiB as sent," \
  "$(du -sk "$WORK"/data/recompressed-zstd-[0-9]* | awk '{s+=$1} END {print s}') KiB as zstd (first run of each)"
