#!/usr/bin/env bash
# The `compare` harness's max-rate workload for two Tributary builds, interleaved (before, after, before, after), each
# run itself Apache Kafka then Tributary on a fresh broker:
#   bench/scripts/compare-before-after.sh BEFORE_JAR AFTER_JAR [ROUNDS] [OUT]
# Each JAR is a build's server/target/tributary-server.jar. Run from the repository root after
# `mvn -pl server,bench -am package -DskipTests` and fetching Kafka's jars into bench/kafka-server/target/lib.
# Prints each run's produce and backlog-read rows; every table goes to OUT/<build>-<round>/compare.md.
set -euo pipefail
BEFORE=$1; AFTER=$2; ROUNDS=${3:-2}; OUT=${4:-bench-results/compare-before-after}
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    jar=$AFTER; [ $build = before ] && jar=$BEFORE
    echo "=== $build round $round $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -jar bench/target/tributary-bench.jar compare -w bench/workloads/compare-max-rate.properties --rounds 1 \
      --tributary-jar "$jar" --disk-mib 512 --sendfile-mib 1024 --out "$OUT/$build-$round" > "$OUT/$build-$round.log" 2>&1
    grep -E "produce throughput \(records|backlog read" "$OUT/$build-$round/compare.md"
  done
done
