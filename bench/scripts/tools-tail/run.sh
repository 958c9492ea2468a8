#!/usr/bin/env bash
# One fresh broker, then Kafka's fixed-rate producer loop and EndToEndLatency round trips with every record's time
# logged, GC and safepoint logs (wall-clock decorated) on the broker and on the tool JVMs, the threads' run-queue
# waits (/proc/PID/task/*/schedstat) and the host's CPU pressure per phase. See docs/performance/tools-tail-2026-12-06.md.
#   run.sh BROKER(kafka|tributary) TAG NFIXED NE2E JFR(0|1) TOOL(driver|real) [Tributary JVM options...]
# TOOL=driver runs TailDriver (ProducerPerformance's fixed-rate loop and EndToEndLatency's loop, per-record log);
# TOOL=real runs Kafka's own classes. WARM=N first sends N records at full rate to another topic (a warm broker, as
# in kafka-tools-vs-kafka.sh, where the fixed-rate step follows the throughput steps). Output: $OUT/TAG.
set -euo pipefail
B=$1; TAG=$2; NF=$3; NE=$4; JFR=$5; TOOL=$6; shift 6; GCOPTS="$*"
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib/kafka-single-node.sh
. "$ROOT/bench/scripts/lib/kafka-single-node.sh"
KAFKA_LIB=${KAFKA_LIB:-$ROOT/bench/kafka-server/target/lib}; TOOLS_LIB=${TOOLS_LIB:-$ROOT/bench/kafka-tools/target/lib}
TRIBUTARY_JAR=${TRIBUTARY_JAR:-$ROOT/ops/target/tributary.jar}
for d in "$KAFKA_LIB" "$TOOLS_LIB"; do [ -d "$d" ] || { echo "no $d: build it (see kafka-tools-vs-kafka.sh) or set KAFKA_LIB / TOOLS_LIB" >&2; exit 1; }; done
[ $B = kafka ] || [ -f "$TRIBUTARY_JAR" ] || { echo "no $TRIBUTARY_JAR: build ops or set TRIBUTARY_JAR" >&2; exit 1; }
OUT=${OUT:-/tmp/tools-tail}; CLS=$OUT/classes; mkdir -p "$CLS"
[ -f "$CLS/TailDriver.class" ] && [ ! "$HERE/TailDriver.java" -nt "$CLS/TailDriver.class" ] || javac -cp "$TOOLS_LIB/*" -d "$CLS" "$HERE/TailDriver.java"
D=$OUT/$TAG; rm -rf $D; mkdir -p $D; W=$(mktemp -d $OUT/w.XXXX)
PORT=${PORT:-41791}; CPORT=$((PORT+1))
LOGDEC="time,uptime,level,tags"
jfr() { [ $JFR = 1 ] && echo "-XX:StartFlightRecording=filename=$D/$1.jfr,settings=profile,dumponexit=true" || true; }
if [ $B = kafka ]; then
  kafka_single_node $W/k.properties $W/data $PORT $CPORT "$KAFKA_LIB"
  java $KAFKA_SERVER_JVM_OPTS \
    -Xlog:gc*,safepoint:file=$D/broker-gc.log:$LOGDEC $(jfr broker) -cp "$KAFKA_LIB/*" kafka.Kafka $W/k.properties > $D/broker.log 2>&1 &
else
  java ${GCOPTS:--Xms256m -Xmx1g -XX:+UseG1GC} -Xlog:gc*,safepoint:file=$D/broker-gc.log:$LOGDEC $(jfr broker) -jar $TRIBUTARY_JAR server \
    --override log.dirs=$W/data --override listeners=PLAINTEXT://127.0.0.1:$PORT --override metrics.listener= > $D/broker.log 2>&1 &
fi
BP=$!
trap 'kill $BP 2>/dev/null; wait 2>/dev/null; rm -rf $W' EXIT
for i in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
sleep 1
if [ "${WARM:-0}" != 0 ]; then
  java -cp "$CLS:$TOOLS_LIB/*" TailDriver create 127.0.0.1:$PORT warm 6 x 2>/dev/null
  java -Xmx512M $KAFKA_TOOL_JVM_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS_LIB/*" org.apache.kafka.tools.ProducerPerformance --topic warm \
    --num-records $WARM --record-size 100 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 2>/dev/null | tail -1 > $D/warm.out
fi
psi() { sed -nE 's/^some .*total=([0-9]+)/\1/p' /proc/pressure/cpu; }
cp0=$(awk '{print $14 + $15}' /proc/$BP/stat)
java -cp "$CLS:$TOOLS_LIB/*" TailDriver create 127.0.0.1:$PORT fixed 6 x
java -cp "$CLS:$TOOLS_LIB/*" TailDriver create 127.0.0.1:$PORT e2e 1 x
sleep 1
echo "load $(cut -d' ' -f1-3 /proc/loadavg) cpu-pressure $(head -1 /proc/pressure/cpu)" > $D/summary.txt
if [ "$NF" != 0 ]; then
ps0=$(psi); bs0=$(bash $HERE/sched.sh $BP); tf0=$(date +%s%3N)
if [ $TOOL = real ]; then
  java -Xmx512M $KAFKA_TOOL_JVM_OPTS -Xlog:gc*,safepoint:file=$D/tool-fixed-gc.log:$LOGDEC $(jfr tool-fixed) -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS_LIB/*" \
    org.apache.kafka.tools.ProducerPerformance --topic fixed --num-records $NF --record-size 100 --throughput 20000 \
    ${PP_EXTRA:-} --producer-props bootstrap.servers=127.0.0.1:$PORT acks=1 linger.ms=5 batch.size=65536 2>/dev/null > $D/fixed.out
  echo "fixed: $(tail -2 $D/fixed.out | tr '\n' ' ')" >> $D/summary.txt
else
  java -Xmx512M $KAFKA_TOOL_JVM_OPTS -Xlog:gc*,safepoint:file=$D/tool-fixed-gc.log:$LOGDEC $(jfr tool-fixed) -Dorg.slf4j.simpleLogger.defaultLogLevel=${TOOLLOG:-warn} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS -cp "$CLS:$TOOLS_LIB/*" \
    TailDriver fixed 127.0.0.1:$PORT fixed $NF $D/fixed.lat 2>$D/fixed.err > $D/fixed.out &
  TP=$!; bash $HERE/watch.sh $TP $D/tool-fixed.sched & wait $TP
  echo "fixed: $(tail -1 $D/fixed.out)" >> $D/summary.txt
fi
ps1=$(psi); bs1=$(bash $HERE/sched.sh $BP); tf1=$(date +%s%3N)
echo "fixed phase $((tf1-tf0)) ms: cpu pressure some $(( (ps1-ps0)/1000 )) ms; broker threads cpu/wait ms: $bs0 -> $bs1; tool threads cpu/wait ms (last sample): $(tail -1 $D/tool-fixed.sched 2>/dev/null)" >> $D/summary.txt
fi
cp1=$(awk '{print $14 + $15}' /proc/$BP/stat)
if [ "$NE" != 0 ]; then
ps0=$(psi); bs0=$(bash $HERE/sched.sh $BP); tf0=$(date +%s%3N)
if [ $TOOL = real ]; then
  java -Xmx256M $KAFKA_TOOL_JVM_OPTS -Xlog:gc*,safepoint:file=$D/tool-e2e-gc.log:$LOGDEC $(jfr tool-e2e) -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS_LIB/*" \
    org.apache.kafka.tools.EndToEndLatency 127.0.0.1:$PORT e2e $NE 1 100 2>/dev/null | tail -2 > $D/e2e.out
else
  java -Xmx256M $KAFKA_TOOL_JVM_OPTS -Xlog:gc*,safepoint:file=$D/tool-e2e-gc.log:$LOGDEC $(jfr tool-e2e) -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CLS:$TOOLS_LIB/*" \
    TailDriver e2e 127.0.0.1:$PORT e2e $NE $D/e2e.lat 2>/dev/null > $D/e2e.out &
  TP=$!; bash $HERE/watch.sh $TP $D/tool-e2e.sched & wait $TP
fi
echo "e2e: $(tr '\n' ' ' < $D/e2e.out)" >> $D/summary.txt
ps1=$(psi); bs1=$(bash $HERE/sched.sh $BP); tf1=$(date +%s%3N)
echo "e2e phase $((tf1-tf0)) ms: cpu pressure some $(( (ps1-ps0)/1000 )) ms; broker threads cpu/wait ms: $bs0 -> $bs1; tool threads cpu/wait ms (last sample): $(tail -1 $D/tool-e2e.sched 2>/dev/null)" >> $D/summary.txt
fi
cp2=$(awk '{print $14 + $15}' /proc/$BP/stat)
hz=$(getconf CLK_TCK)
echo "broker cpu_s fixed $(awk -v a=$cp0 -v b=$cp1 -v h=$hz 'BEGIN{printf "%.2f",(b-a)/h}') e2e $(awk -v a=$cp1 -v b=$cp2 -v h=$hz 'BEGIN{printf "%.2f",(b-a)/h}') rss_mib $(awk '/VmRSS/{printf "%.0f",$2/1024}' /proc/$BP/status)" >> $D/summary.txt
kill $BP; wait $BP 2>/dev/null || true
cat $D/summary.txt
