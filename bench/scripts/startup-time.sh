#!/usr/bin/env bash
# Start-up time of Tributary builds, interleaved (jar1, jar2, ..., jar1, jar2, ...), N rounds:
#   bench/scripts/startup-time.sh [-n ROUNDS] [-r] JAR [JAR...]
# Each JAR is a build's server/target/tributary-server.jar, optionally followed by comma-separated JVM options for its
# runs (JAR,-XX:SharedArchiveFile=ARCHIVE,-Xshare:auto measures a build with a class-data archive; see
# bench/scripts/cds-archive.sh). Per run it prints, in ms from the launcher's start (the
# `java -jar` fork):
#   listen   - until a TCP connect to the PLAINTEXT listener succeeds
#   produce  - until the first record is acknowledged (acks=all) by a kafka-clients producer started together with the
#              broker (its own JVM start overlaps the broker's, as a client waiting for a broker would); the topic is
#              auto-created by that produce
#   started  - the broker's own "started in N ms" figure (constructor + extensions, without JVM start)
# With -r each run starts on the data directory left by a first, untimed run of the same build (a restarted broker:
# logs and metadata quorum recovered, internal topics present) instead of a fresh one.
# Needs kafka-clients 4.3.1 and slf4j-api in ~/.m2 (a test-scope dependency of the server module). Prints the
# machine's load average before each run: start-up on a shared 2-core machine moves with it.
set -euo pipefail
ROUNDS=5; RESTART=0
while getopts "n:r" opt; do
  case $opt in
    n) ROUNDS=$OPTARG ;;
    r) RESTART=1 ;;
    *) echo "usage: $0 [-n ROUNDS] [-r] JAR [JAR...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n ROUNDS] [-r] JAR [JAR...]" >&2; exit 2; }

M2=${M2_REPO:-$HOME/.m2/repository}
CLIENT_CP="$M2/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
WORK=$(mktemp -d /tmp/startup-time.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The producer: retries quickly (no exponential reconnect backoff) until its first record is acknowledged, then prints
# the wall-clock time of the acknowledgement in ms.
mkdir -p "$WORK/client"
cat > "$WORK/client/FirstProduce.java" <<'JAVA'
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.util.Properties;

public class FirstProduce {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", args[0]);
        p.put("acks", "all");
        p.put("reconnect.backoff.ms", "10");
        p.put("reconnect.backoff.max.ms", "20");
        p.put("retry.backoff.ms", "10");
        p.put("retry.backoff.max.ms", "20");
        p.put("socket.connection.setup.timeout.ms", "1000");
        p.put("max.block.ms", "60000");
        p.put("delivery.timeout.ms", "60000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("startup-probe", "first".getBytes())).get();
            System.out.println(System.currentTimeMillis());
        }
    }
}
JAVA
javac -cp "$CLIENT_CP" -d "$WORK/client" "$WORK/client/FirstProduce.java"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

# run JAR DIR PORT: starts the broker and the producer together, prints "listen produce started" in ms.
run() {
  local spec=$1 dir=$2 port=$3 log=$WORK/broker.log
  local jar=${spec%%,*} opts=()
  [ "$jar" = "$spec" ] || IFS=, read -r -a opts <<< "${spec#*,}"
  local t0; t0=$(now_ms)
  java "${opts[@]}" -jar "$jar" --override log.dirs="$dir" --override listeners=PLAINTEXT://127.0.0.1:"$port" \
    --override metrics.listener= > "$log" 2>&1 &
  local broker=$!; PIDS+=("$broker")
  java -cp "$CLIENT_CP:$WORK/client" FirstProduce 127.0.0.1:"$port" > "$WORK/acked" 2> "$WORK/client.log" &
  local client=$!; PIDS+=("$client")
  local listen=-1 deadline=$((t0 + 60000))
  while [ "$(now_ms)" -lt $deadline ]; do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then listen=$(( $(now_ms) - t0 )); break; fi
    sleep 0.005
  done
  local produce=-1
  if timeout 60 tail --pid=$client -f /dev/null && [ -s "$WORK/acked" ]; then
    produce=$(( $(cat "$WORK/acked") - t0 ))
  fi
  kill $client 2>/dev/null || true
  for _ in $(seq 1 300); do grep -q 'started in' "$log" && break; sleep 0.1; done
  local started; started=$(grep -o 'started in [0-9]* ms' "$log" | grep -o '[0-9]*' || echo -1)
  kill $broker; wait $broker 2>/dev/null || true
  echo "$listen $produce $started"
}

printf '%-6s %-50s %8s %8s %8s  %s\n' round jar listen produce started load
for round in $(seq 1 "$ROUNDS"); do
  for jar in "$@"; do
    dir=$(mktemp -d "$WORK/data.XXXXXX")
    if [ $RESTART = 1 ]; then
      run "$jar" "$dir" "$(free_port)" > /dev/null # first start: creates the data directory and internal topics
    fi
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r listen produce started < <(run "$jar" "$dir" "$(free_port)")
    label=${jar%%,*}; label=${label: -40}; [ "$jar" = "${jar%%,*}" ] || label="$label +opts"
    printf '%-6s %-50s %8s %8s %8s  %s\n' "$round" "$label" "$listen" "$produce" "$started" "$load"
    rm -rf "$dir"
  done
done
