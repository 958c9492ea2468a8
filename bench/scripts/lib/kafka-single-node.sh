# Sourced by the bench scripts that start Apache Kafka 4.3.1 as one combined KRaft node on 127.0.0.1.
# KAFKA_SERVER_JVM_OPTS: the flags kafka-server-start.sh gives the broker (its heap, kafka-run-class.sh's G1 settings).
# KAFKA_TOOL_JVM_OPTS: what kafka-run-class.sh gives every tool besides its heap (the perf-test scripts add -Xmx512M,
# the others -Xmx256M).
KAFKA_TOOL_JVM_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"
KAFKA_SERVER_JVM_OPTS="-Xmx1G -Xms1G $KAFKA_TOOL_JVM_OPTS"

# kafka_tool HEAP CLASS [ARG...]: one of Kafka's tools from the jars in $TOOLS_LIB, with the heap its script gives it,
# kafka-run-class.sh's other flags and its log at warn. KAFKA_TOOL_EXEC=exec in a background subshell makes the JVM
# replace it, so the caller's $! is the tool's own process (to sample its threads).
kafka_tool() {
  local heap=$1; shift
  # shellcheck disable=SC2086
  ${KAFKA_TOOL_EXEC:-} java $heap $KAFKA_TOOL_JVM_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS_LIB/*" "$@"
}

# kafka_single_node PROPERTIES DATA_DIR PORT CONTROLLER_PORT KAFKA_LIB [EXTRA_SETTING...]
# Writes the node's properties (PLAINTEXT on PORT, the controller on CONTROLLER_PORT, internal topics with one replica,
# every other setting Kafka's default; EXTRA_SETTING lines such as num.partitions=6 appended) and formats DATA_DIR with
# a fresh cluster id, as a Kafka user does once before the first start; StorageTool's output goes to format.log beside
# PROPERTIES.
kafka_single_node() {
  local properties=$1 data=$2 port=$3 cport=$4 lib=$5
  shift 5
  {
    cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
PROPS
    local setting
    for setting in "$@"; do echo "$setting"; done
  } > "$properties"
  java -cp "$lib/*" kafka.tools.StorageTool format --cluster-id "$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)" \
    --config "$properties" > "$(dirname "$properties")/format.log" 2>&1
}
