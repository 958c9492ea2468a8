package io.tributary.ops.webconsole;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.clients.Headers;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.RoutingHeaders;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.Header;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tributary.ops.webconsole.ConsoleHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing page's API (ordered topics with fences, bindings files, dead-letter topics, re-drive) and per-topic
 * rates, against an in-process broker with the console as inside a broker (its counters), sampling every 200 ms.
 */
class ConsoleRoutingApiTest {
    private static BrokerFixture fixture;
    private static TributaryAdmin admin;
    private static ConsoleServer console;
    private static ConsoleHttp http;
    private static Path bindings;
    private static Path badBindings;

    @BeforeAll
    static void start() throws IOException {
        fixture = new BrokerFixture();
        admin = TributaryAdmin.create(Map.of("bootstrap.servers", fixture.bootstrap()));
        bindings = Files.createTempFile("console-bindings", ".txt");
        Files.writeString(bindings, "// type key destination\ndirect payment.created payments\ntopic order.eu.# orders-eu\nfanout audit\n");
        badBindings = Files.createTempFile("console-bindings-bad", ".txt");
        Files.writeString(badBindings, "direct only-two-words\n");
        console = ConsoleServer.start(ConsoleSettings.standalone(fixture.bootstrap(), "127.0.0.1", 0, false)
            .inBroker(new ConsoleExtension.Stats(fixture.broker()), null, "test").withSampleInterval(200)
            .withBindingsFiles(List.of(bindings, badBindings)));
        http = new ConsoleHttp("http://127.0.0.1:" + console.address().getPort());
    }

    @AfterAll
    static void stop() throws IOException {
        console.close();
        admin.close();
        fixture.close();
        Files.deleteIfExists(bindings);
        Files.deleteIfExists(badBindings);
    }

    private static TributaryProducer<String, String> producer() {
        return new TributaryProducer<>(Map.of("bootstrap.servers", fixture.bootstrap(), "linger.ms", 0L),
            new StringSerializer(), new StringSerializer());
    }

    private static Headers deadLetterHeaders(String topic, int partition, long offset) {
        Headers h = new Headers();
        h.add("trace", ("t-" + offset).getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_ORIGINAL_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_ORIGINAL_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_ORIGINAL_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_EXCEPTION_CLASS, "java.lang.IllegalStateException".getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_EXCEPTION_MESSAGE, "bad order".getBytes(StandardCharsets.UTF_8));
        h.add(RoutingHeaders.DLT_ATTEMPTS, "4".getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static long endSum(String topic) {
        return admin.await(admin.listOffsets(topic, OffsetSpec.latest())).values().stream().mapToLong(o -> o.offset()).sum();
    }

    @Test
    void orderedTopicsShowTheirGrowthFences() {
        admin.await(admin.createTopic(NewTopic.of("ledger", 2).withConfigs(Map.of("routing.mode", "ordered"))));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("ledger", "account-" + i, "entry " + i));
            }
            p.flush();
        }
        admin.await(admin.addPartitions("ledger", 4));
        JsonNode r = http.get("/api/routing").json();
        JsonNode ledger = null;
        for (JsonNode t : r.get("orderedTopics")) {
            if (t.get("topic").asText().equals("ledger")) {
                ledger = t;
            }
        }
        assertThat(ledger).as(r.toString()).isNotNull();
        assertThat(ledger.get("partitions").asInt()).isEqualTo(4);
        JsonNode growth = ledger.get("growths").get(0);
        assertThat(growth.get("generation").asInt()).isEqualTo(1);
        assertThat(growth.get("from").asInt()).isEqualTo(2);
        assertThat(growth.get("to").asInt()).isEqualTo(4);
        assertThat(growth.get("fenceOffsets").get(0).asLong() + growth.get("fenceOffsets").get(1).asLong()).isEqualTo(10);
        JsonNode listed = http.get("/api/topics").json();
        assertThat(listed.toString()).contains("\"name\":\"ledger\"").contains("\"routingMode\":\"ordered\"");
    }

    @Test
    void bindingsFilesAreShownWithTheirErrorsAndAKeyCanBeTried() {
        admin.await(admin.createTopic(NewTopic.of("audit", 1)));
        JsonNode files = http.get("/api/routing").json().get("bindings");
        assertThat(files.size()).isEqualTo(2);
        JsonNode good = files.get(0).get("bindings");
        assertThat(good.size()).isEqualTo(3);
        assertThat(good.get(0).get("type").asText()).isEqualTo("direct");
        assertThat(good.get(1).get("key").asText()).isEqualTo("order.eu.#");
        assertThat(good.get(2).get("key").isNull()).isTrue();
        assertThat(good.get(2).get("destinationExists").asBoolean()).isTrue();
        assertThat(good.get(0).get("destinationExists").asBoolean()).isFalse();
        assertThat(files.get(1).get("error").asText()).contains("line 1").contains("only-two-words");
        JsonNode match = http.get("/api/routing/match?key=order.eu.created").json();
        assertThat(match.get("files").get(0).get("destinations").toString()).isEqualTo("[\"orders-eu\",\"audit\"]");
        assertThat(match.get("files").get(1).get("error").asText()).contains("line 1");
        assertProblem(http.get("/api/routing/match"), 400, "BAD_REQUEST", "key=");
        assertProblem(http.post("/api/routing", "{}"), 405, "METHOD_NOT_ALLOWED", "use GET");
    }

    @Test
    void deadLettersAreCountedAndReDrivenToTheirOriginalTopic() {
        admin.await(admin.createTopic(NewTopic.of("work", 2)));
        admin.await(admin.createTopic(NewTopic.of("work.DLT", 1)));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 3; i++) {
                p.send(new ProducerRecord<>("work.DLT", 0, null, "job-" + i, "payload " + i, deadLetterHeaders("work", i % 2, 40 + i)));
            }
            p.send(new ProducerRecord<>("work.DLT", 0, "stray", "not a dead letter")); // offset 3, no headers
            p.flush();
        }
        JsonNode dlt = http.get("/api/routing").json().get("deadLetterTopics");
        assertThat(dlt.toString()).contains("{\"topic\":\"work.DLT\",\"originalTopic\":\"work\",\"originalExists\":true,\"records\":4,\"partitions\":1}");

        // refusals change nothing
        assertProblem(http.post("/api/topics/work.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":0},{\"partition\":0,\"offset\":3}]}"),
            400, "NOT_A_DEAD_LETTER", "0@3");
        assertProblem(http.post("/api/topics/work.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":99}]}"), 404, "OFFSET_OUT_OF_RANGE", "99");
        assertProblem(http.post("/api/topics/work.DLT/redrive", "{\"records\":[{\"partition\":3,\"offset\":0}]}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "no partition 3");
        assertProblem(http.post("/api/topics/work.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":\"x\"}]}"), 400, "BAD_REQUEST", "offset");
        assertProblem(http.post("/api/topics/work.DLT/redrive", "{\"records\":[]}"), 400, "BAD_REQUEST", "non-empty");
        StringBuilder many = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"partition\":0,\"offset\":0}");
        }
        assertProblem(http.post("/api/topics/work.DLT/redrive", many + "]}"), 400, "BAD_REQUEST", "At most 100");
        assertProblem(http.post("/api/topics/work/redrive", "{\"records\":[{\"partition\":0,\"offset\":0}]}"), 400, "BAD_REQUEST", "not a dead-letter topic");
        assertProblem(http.post("/api/topics/ghost.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":0}]}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "ghost.DLT");
        assertThat(endSum("work")).isZero();

        JsonNode done = http.post("/api/topics/work.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":2},{\"partition\":0,\"offset\":0}]}").json();
        assertThat(done.get("redriven").size()).isEqualTo(2);
        assertThat(done.get("redriven").get(0).get("toTopic").asText()).isEqualTo("work");
        assertThat(endSum("work")).isEqualTo(2);
        Map<String, ConsumerRecord<String, String>> byKey = new HashMap<>();
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(Map.of("bootstrap.servers", fixture.bootstrap(),
            "auto.offset.reset", "earliest", "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer())) {
            c.assign(List.of(new TopicPartition("work", 0), new TopicPartition("work", 1)));
            Await.until("both re-driven records are read", Duration.ofSeconds(20), () -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> byKey.put(r.key(), r));
                return byKey.size() == 2;
            });
        }
        assertThat(byKey).containsOnlyKeys("job-0", "job-2");
        ConsumerRecord<String, String> job2 = byKey.get("job-2");
        assertThat(job2.value()).isEqualTo("payload 2");
        List<String> headerKeys = new ArrayList<>();
        String from = null;
        for (Header h : job2.headers()) {
            headerKeys.add(h.key());
            if (h.key().equals("tributary.dlt.redriven.from")) {
                from = text(h);
            }
        }
        assertThat(headerKeys).containsExactly("trace", "tributary.dlt.redriven.from");
        assertThat(from).isEqualTo("work.DLT-0@2");

        // the original topic gone: refused before anything is produced
        admin.await(admin.createTopic(NewTopic.of("gone", 1)));
        admin.await(admin.createTopic(NewTopic.of("gone.DLT", 1)));
        try (TributaryProducer<String, String> p = producer()) {
            p.send(new ProducerRecord<>("gone.DLT", 0, null, "k", "v", deadLetterHeaders("gone", 0, 0)));
            p.flush();
        }
        admin.await(admin.deleteTopic("gone"));
        assertProblem(http.post("/api/topics/gone.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":0}]}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "gone");
    }

    private static String text(Header h) {
        java.nio.ByteBuffer b = h.value().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void perTopicRatesFollowTraffic() {
        admin.await(admin.createTopic(NewTopic.of("busy", 1)));
        assertThat(http.get("/api/topics/busy/rates").json().get("inBroker").asBoolean()).isTrue();
        try (TributaryProducer<String, String> p = producer()) {
            Await.until("the topic's chart shows records and bytes in", Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 20; i++) {
                    p.send(new ProducerRecord<>("busy", "k" + i, "v" + i));
                }
                p.flush();
                JsonNode samples = http.get("/api/topics/busy/rates").json().get("samples");
                for (JsonNode s : samples) {
                    if (s.get("recordsIn").asDouble() > 0 && s.get("bytesIn").asDouble() > 0) {
                        return true;
                    }
                }
                return false;
            });
        }
        assertThat(http.get("/api/topics/busy").json().get("rates").isArray()).isTrue();
        assertProblem(http.get("/api/topics/ghost/rates"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "ghost");
        assertProblem(http.post("/api/topics/busy/rates", "{}"), 405, "METHOD_NOT_ALLOWED", "use GET");
    }
}
