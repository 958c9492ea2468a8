package io.tributary.ops.webconsole;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.server.Await;
import io.tributary.server.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.tributary.ops.webconsole.ConsoleHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console against Apache Kafka 4.3.1 (a single KRaft node in a child JVM, from the bench's jars): the same
 * API the pages use answers the same way — overview, topic list and page, configs with an INVALID_CONFIG refusal,
 * produce and find by key, a live tail, a group's lag, and a reset previewed then executed. Runs with
 * {@code -Pkafka-compat} (which points {@code tributary.kafka.lib} at bench/kafka-server/target/lib; fetch the jars
 * with {@code mvn -o -f bench/kafka-server/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib}),
 * and is skipped otherwise: starting Kafka takes tens of seconds on a small machine.
 */
class ConsoleAgainstKafkaTest {
    private static Process kafka;
    private static Path work;
    private static TributaryAdmin admin;
    private static ConsoleServer console;
    private static ConsoleHttp http;
    private static String bootstrap;

    @BeforeAll
    static void startKafka() throws Exception {
        String lib = System.getProperty("tributary.kafka.lib");
        Assumptions.assumeTrue(lib != null, "run with -Pkafka-compat to test the console against Apache Kafka");
        File libDir = new File(lib);
        assertThat(new File(libDir, "kafka_2.13-4.3.1.jar")).as("Kafka's jars in " + libDir
            + " (mvn -o -f bench/kafka-server/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib)").exists();
        work = Files.createTempDirectory("console-kafka");
        int[] ports = LoopbackPorts.unused(2);
        int port = ports[0];
        int controllerPort = ports[1];
        bootstrap = "127.0.0.1:" + port;
        Path props = work.resolve("kafka.properties");
        Files.writeString(props, String.join("\n",
            "process.roles=broker,controller", "node.id=1", "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT", "log.dirs=" + work.resolve("data"),
            "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3", "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0", "") + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = libDir.getAbsolutePath() + File.separator + "*";
        String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        Process format = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool", "format",
            "--cluster-id", clusterId, "--config", props.toString())
            .redirectErrorStream(true).redirectOutput(work.resolve("format.log").toFile()).start();
        assertThat(format.waitFor(90, TimeUnit.SECONDS)).as("Kafka's storage format finishes").isTrue();
        assertThat(format.exitValue()).as(Files.readString(work.resolve("format.log"))).isZero();
        kafka = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseParallelGC", "-cp", classpath, "kafka.Kafka", props.toString())
            .redirectErrorStream(true).redirectOutput(work.resolve("kafka.log").toFile()).start();
        admin = TributaryAdmin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5_000, "default.api.timeout.ms", 10_000));
        Await.until("Kafka answers Metadata", Duration.ofSeconds(120), () -> {
            if (!kafka.isAlive()) {
                throw new IllegalStateException("Kafka exited: see " + work.resolve("kafka.log"));
            }
            try {
                return !admin.await(admin.describeCluster()).nodes().isEmpty();
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        console = ConsoleServer.start(ConsoleSettings.standalone(bootstrap, "127.0.0.1", 0, false).withSampleInterval(500));
        http = new ConsoleHttp("http://127.0.0.1:" + console.address().getPort());
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (console != null) {
            console.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.destroy();
            if (!kafka.waitFor(20, TimeUnit.SECONDS)) {
                kafka.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theConsolesPagesWorkAgainstApacheKafka() throws Exception {
        JsonNode overview = http.get("/api/overview").json();
        assertThat(overview.get("brokers").size()).isEqualTo(1);
        assertThat(overview.get("controller").isNull()).isFalse();

        assertThat(http.post("/api/topics", "{\"name\":\"kafka-orders\",\"partitions\":3}").status()).isEqualTo(201);
        assertProblem(http.post("/api/topics", "{\"name\":\"kafka-orders\",\"partitions\":3}"), 409, "TOPIC_ALREADY_EXISTS", "kafka-orders");
        Await.until("the topic is listed", Duration.ofSeconds(30), () -> http.get("/api/topics").text().contains("\"name\":\"kafka-orders\""));
        JsonNode page = http.get("/api/topics/kafka-orders").json();
        assertThat(page.get("partitions").size()).isEqualTo(3);
        assertThat(page.get("partitions").get(0).get("leader").asInt()).isEqualTo(1);
        assertProblem(http.get("/api/topics/kafka-ghost"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "kafka-ghost");

        assertThat(http.get("/api/topics/kafka-orders/configs").text()).contains("\"name\":\"retention.ms\"");
        assertThat(http.post("/api/topics/kafka-orders/configs", "{\"set\":{\"retention.ms\":\"86400000\"}}").status()).isEqualTo(200);
        assertProblem(http.post("/api/topics/kafka-orders/configs", "{\"set\":{\"retention.ms\":\"a week\"}}"), 400, "INVALID_CONFIG", "retention.ms");

        for (int i = 0; i < 9; i++) {
            assertThat(http.post("/api/topics/kafka-orders/messages", "{\"key\":\"order-" + i + "\",\"value\":\"{\\\"n\\\":" + i
                + "}\",\"headers\":[{\"key\":\"source\",\"value\":\"console\"}]}").status()).isEqualTo(201);
        }
        JsonNode found = http.get("/api/topics/kafka-orders/messages?mode=earliest&key=order-4&decode=json").json().get("records");
        assertThat(found.size()).isEqualTo(1);
        assertThat(found.get(0).get("value").get("data").asText()).isEqualTo("{\n  \"n\" : 4\n}");
        assertThat(found.get(0).get("headers").get(0).get("value").asText()).isEqualTo("console");
        assertThat(http.get("/api/topics/kafka-orders/messages?mode=earliest&limit=1000").json().get("records").size()).isEqualTo(9);

        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(Map.of("bootstrap.servers", bootstrap,
            "group.id", "kafka-readers", "auto.offset.reset", "earliest", "enable.auto.commit", false),
            new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("kafka-orders"));
            int[] read = {0};
            Await.until("the group reads the 9 records", Duration.ofSeconds(60), () -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 9;
            });
            consumer.commitSync();
            JsonNode group = http.get("/api/groups/kafka-readers").json();
            assertThat(group.get("state").asText()).isEqualTo("Stable");
            assertThat(group.get("totalLag").asLong()).isZero();
            assertProblem(http.post("/api/groups/kafka-readers/reset", "{\"topic\":\"kafka-orders\",\"to\":\"earliest\",\"execute\":true}"),
                409, "NON_EMPTY_GROUP", "stop its consumers first");
        }
        Await.until("the group is empty once its consumer left", Duration.ofSeconds(60),
            () -> http.get("/api/groups/kafka-readers").json().get("state").asText().equals("Empty"));
        JsonNode preview = http.post("/api/groups/kafka-readers/reset", "{\"topic\":\"kafka-orders\",\"to\":\"earliest\"}").json();
        assertThat(preview.get("executed").asBoolean()).isFalse();
        assertThat(http.get("/api/groups/kafka-readers").json().get("totalLag").asLong()).isZero();
        assertThat(http.post("/api/groups/kafka-readers/reset", "{\"topic\":\"kafka-orders\",\"to\":\"earliest\",\"execute\":true}")
            .json().get("executed").asBoolean()).isTrue();
        assertThat(http.get("/api/groups/kafka-readers").json().get("totalLag").asLong()).isEqualTo(9);
        assertThat(http.get("/api/groups").text()).contains("\"groupId\":\"kafka-readers\"");

        // standalone against Kafka: no broker counters, but records in per topic from end offsets, and no routing
        Await.until("the topic's records-in chart has a point", Duration.ofSeconds(30), () -> {
            http.post("/api/topics/kafka-orders/messages", "{\"value\":\"tick\"}");
            return http.get("/api/topics/kafka-orders/rates").json().get("samples").size() >= 2;
        });
        JsonNode routing = http.get("/api/routing").json();
        assertThat(routing.get("orderedTopics").size()).isZero();
        assertThat(routing.get("deadLetterTopics").size()).isZero();

        assertThat(http.delete("/api/topics/kafka-orders?confirm=kafka-orders").status()).isEqualTo(200);
    }
}
