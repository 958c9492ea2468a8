#!/usr/bin/env bash
# Start-up time of Tributary builds, interleaved (spec1, spec2, ..., spec1, spec2, ...), N rounds:
#   bench/scripts/startup-time.sh [-n ROUNDS] [-r] [-l] SPEC [SPEC...]
# A SPEC is either
#   JAR[,JVM-OPTION...]   a build's server/target/tributary-server.jar run with `java -jar`, optionally with
#                         comma-separated JVM options (JAR,-XX:SharedArchiveFile=ARCHIVE,-Xshare:auto measures a build
#                         with a class-data archive; see bench/scripts/cds-archive.sh); metrics.listener is off
#   launcher:PATH         a launcher, e.g. launcher:bin/tributary, run as a user starts it: `PATH server` with only
#                         log.dirs and listeners set, every other setting and the JVM options the launcher's defaults;
#                         the metrics/console listener runs too, on an ephemeral port (a user's is 127.0.0.1:9644,
#                         which another broker on a shared machine may hold); it is started once, untimed, before the
#                         first round, so its jar and class-data archive are made outside the figures
# Per run it prints, in ms from the fork of `java -jar` or of the launcher:
#   listen   - until a TCP connect to the PLAINTEXT listener succeeds
#   produce  - until the first record is acknowledged (acks=all) by a kafka-clients producer started together with the
#              broker (its own JVM start overlaps the broker's, as a client waiting for a broker would); the topic is
#              auto-created by that produce
#   started  - the broker's own "started in N ms" figure (constructor + extensions, without JVM start)
# With -l no producer is started (produce prints -1): the broker starts alone, as kafka-tools-vs-kafka.sh times it.
# With -r each run starts on the data directory left by a first, untimed run of the same build (a restarted broker:
# logs and metadata quorum recovered, internal topics present) instead of a fresh one.
# Needs kafka-clients 4.3.1 and slf4j-api in ~/.m2 (a test-scope dependency of the server module). Prints the
# machine's load average before each run: start-up on a shared 2-core machine moves with it.
set -euo pipefail
ROUNDS=5; RESTART=0; LISTEN_ONLY=0
while getopts "n:rl" opt; do
  case $opt in
    n) ROUNDS=$OPTARG ;;
    r) RESTART=1 ;;
    l) LISTEN_ONLY=1 ;;
    *) echo "usage: $0 [-n ROUNDS] [-r] [-l] SPEC [SPEC...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n ROUNDS] [-r] [-l] SPEC [SPEC...]" >&2; exit 2; }

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

# start SPEC DIR PORT LOG: starts the broker in the background (its pid in $!).
start() {
  local spec=$1 dir=$2 port=$3 log=$4
  if [ "${spec#launcher:}" != "$spec" ]; then
    "${spec#launcher:}" server --override log.dirs="$dir" --override listeners=PLAINTEXT://127.0.0.1:"$port" \
      --override metrics.listener=127.0.0.1:0 > "$log" 2>&1 &
    return
  fi
  local jar=${spec%%,*} opts=()
  [ "$jar" = "$spec" ] || IFS=, read -r -a opts <<< "${spec#*,}"
  java "${opts[@]}" -jar "$jar" --override log.dirs="$dir" --override listeners=PLAINTEXT://127.0.0.1:"$port" \
    --override metrics.listener= > "$log" 2>&1 &
}

# run SPEC DIR PORT: starts the broker and the producer together, prints "listen produce started" in ms.
run() {
  local spec=$1 dir=$2 port=$3 log=$WORK/broker.log
  local t0; t0=$(now_ms)
  start "$spec" "$dir" "$port" "$log"
  local broker=$!; PIDS+=("$broker")
  : > "$WORK/acked"
  if [ $LISTEN_ONLY = 1 ]; then
    true & # no producer: an already finished stand-in
  else
    java -cp "$CLIENT_CP:$WORK/client" FirstProduce 127.0.0.1:"$port" > "$WORK/acked" 2> "$WORK/client.log" &
  fi
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
  for _ in $(seq 1 300); do grep -q 'Tributary broker .* started in' "$log" && break; sleep 0.1; done
  # the broker's line (the web console logs a "started in" of its own)
  local started; started=$(grep -o 'Tributary broker .* started in [0-9]* ms' "$log" | grep -o 'started in [0-9]*' | grep -o '[0-9]*' || echo -1)
  kill $broker; wait $broker 2>/dev/null || true
  echo "$listen $produce $started"
}

# A launcher makes its jar and class-data archive on first use: once per launcher, before anything is timed.
for spec in "$@"; do
  [ "${spec#launcher:}" != "$spec" ] || continue
  echo "preparing ${spec#launcher:} (jar and class-data archive)..." >&2
  dir=$(mktemp -d "$WORK/data.XXXXXX")
  start "$spec" "$dir" "$(free_port)" "$WORK/prepare.log"
  pid=$!; PIDS+=("$pid")
  for _ in $(seq 1 3000); do grep -q 'Tributary broker .* started in' "$WORK/prepare.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  grep -q 'Tributary broker .* started in' "$WORK/prepare.log" || { echo "${spec#launcher:} did not start:" >&2; tail -20 "$WORK/prepare.log" >&2; exit 1; }
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
done

printf '%-6s %-50s %8s %8s %8s  %s\n' round jar listen produce started load
for round in $(seq 1 "$ROUNDS"); do
  for jar in "$@"; do
    dir=$(mktemp -d "$WORK/data.XXXXXX")
    if [ $RESTART = 1 ]; then
      run "$jar" "$dir" "$(free_port)" > /dev/null # first start: creates the data directory and internal topics
    fi
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r listen produce started < <(run "$jar" "$dir" "$(free_port)")
    label=${jar%%,*}; [ ${#label} -le 40 ] || label=${label: -40}; [ "$jar" = "${jar%%,*}" ] || label="$label +opts"
    printf '%-6s %-50s %8s %8s %8s  %s\n' "$round" "$label" "$listen" "$produce" "$started" "$load"
    rm -rf "$dir"
  done
done
