package io.tributary.ops.webconsole;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.ConfigResource;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON endpoint of the console, served inside an in-process broker on its metrics listener (so /metrics
 * shares the port), with good and bad input: bad input is a 4xx JSON problem naming the error and what was
 * wrong, never a 500 or a stack trace, and a refused request changes nothing.
 */
class ConsoleApiTest {
    private static BrokerFixture fixture;
    private static TributaryAdmin admin;
    private static ConsoleHttp http;

    @BeforeAll
    static void start() {
        fixture = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0", ServerConfig.METRICS_LISTENER, "127.0.0.1:0"));
        admin = TributaryAdmin.create(Map.of("bootstrap.servers", fixture.bootstrap()));
        http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
        admin.await(admin.createTopic(NewTopic.of("orders", 3)));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 30; i++) {
                p.send(new ProducerRecord<>("orders", i % 3, "order-" + i, "{\"n\":" + i + "}"));
            }
            p.send(new ProducerRecord<>("orders", 0, "big", "x".repeat(5000)));
            p.flush();
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        fixture.close();
    }

    static TributaryProducer<String, String> producer() {
        return new TributaryProducer<>(Map.of("bootstrap.servers", fixture.bootstrap()), new StringSerializer(), new StringSerializer());
    }

    private static void assertProblem(ConsoleHttp.Reply reply, int status, String error, String messagePart) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").asText()).contains(messagePart).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void metricsAndHealthShareThePortWithThePages() {
        assertThat(http.get("/metrics").text()).contains("tributary_topic_records_in_total");
        assertThat(http.get("/health").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/health/live").status()).isEqualTo(200);
        assertThat(http.post("/metrics", "").status()).isEqualTo(405);
        ConsoleHttp.Reply page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<script type=\"module\" src=\"/static/app.js\">");
        assertThat(http.get("/static/app.js").contentType()).startsWith("text/javascript");
        assertThat(http.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").status()).isEqualTo(200);
        assertProblem(http.get("/static/../../META-INF/MANIFEST.MF"), 404, "NOT_FOUND", "Nothing at");
        assertProblem(http.get("/nothing-here"), 404, "NOT_FOUND", "Nothing at /nothing-here");
    }

    @Test
    void infoOverviewAndTraffic() {
        assertThat(http.get("/api/info").json().get("readOnly").asBoolean()).isFalse();
        JsonNode o = http.get("/api/overview").json();
        assertThat(o.get("brokers").size()).isEqualTo(1);
        assertThat(o.get("topics").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(o.get("partitions").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(o.get("totalSize").asLong()).isPositive();
        JsonNode t = http.get("/api/traffic").json();
        assertThat(t.get("intervalMs").asLong()).isEqualTo(ConsoleSettings.DEFAULT_SAMPLE_INTERVAL_MS);
        assertThat(t.get("samples").isArray()).isTrue();
        assertProblem(http.get("/api/nope"), 404, "NOT_FOUND", "/api/nope");
        assertProblem(http.post("/api/overview", "{}"), 405, "METHOD_NOT_ALLOWED", "use GET");
    }

    @Test
    void topicListAndPage() {
        JsonNode list = http.get("/api/topics").json();
        JsonNode orders = null;
        for (JsonNode t : list) {
            if (t.get("name").asText().equals("orders")) {
                orders = t;
            }
        }
        assertThat(orders).isNotNull();
        assertThat(orders.get("partitions").asInt()).isEqualTo(3);
        assertThat(orders.get("replicationFactor").asInt()).isEqualTo(1);
        assertThat(orders.get("retentionMs").asLong()).isPositive();
        JsonNode page = http.get("/api/topics/orders").json();
        assertThat(page.get("partitions").size()).isEqualTo(3);
        long records = 0;
        for (JsonNode p : page.get("partitions")) {
            records += p.get("endOffset").asLong() - p.get("startOffset").asLong();
            assertThat(p.get("leader").asInt()).isEqualTo(0);
            assertThat(p.get("isr").toString()).isEqualTo("[0]");
            assertThat(p.get("size").asLong()).isPositive();
        }
        assertThat(records).isEqualTo(31);
        assertProblem(http.get("/api/topics/no-such-topic"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "no-such-topic");
    }

    @Test
    void createAddPartitionsAndDeleteWithConfirmation() {
        assertThat(http.post("/api/topics", "{\"name\":\"created-by-api\",\"partitions\":2,\"configs\":{\"retention.ms\":\"60000\"}}").status())
            .isEqualTo(201);
        assertThat(admin.await(admin.describeTopic("created-by-api")).partitions()).hasSize(2);
        assertThat(admin.await(admin.describeConfig(ConfigResource.topic("created-by-api"))).value("retention.ms")).isEqualTo("60000");
        assertProblem(http.post("/api/topics", "{\"name\":\"created-by-api\",\"partitions\":2}"), 409, "TOPIC_ALREADY_EXISTS", "created-by-api");
        assertProblem(http.post("/api/topics", "{\"name\":\"huge\",\"partitions\":100000000}"), 400, "BAD_REQUEST", "between 1 and 10000");
        assertProblem(http.post("/api/topics", "{\"name\":\"bad-config\",\"partitions\":1,\"configs\":{\"retention.ms\":\"soon\"}}"),
            400, "INVALID_CONFIG", "retention.ms");
        assertProblem(http.post("/api/topics", "{\"partitions\":1}"), 400, "BAD_REQUEST", "name is required");
        assertProblem(http.post("/api/topics", "not json"), 400, "BAD_REQUEST", "not valid JSON");
        assertProblem(http.post("/api/topics", "[1]"), 400, "BAD_REQUEST", "JSON object");
        assertThat(admin.await(admin.listTopics()).stream().map(t -> t.name()).toList()).doesNotContain("huge", "bad-config");

        assertProblem(http.post("/api/topics/created-by-api/partitions", "{\"count\":1}"), 400, "INVALID_PARTITIONS", "can only grow");
        assertProblem(http.post("/api/topics/created-by-api/partitions", "{\"count\":\"many\"}"), 400, "BAD_REQUEST", "'many'");
        assertThat(http.post("/api/topics/created-by-api/partitions", "{\"count\":4}").status()).isEqualTo(200);
        assertThat(admin.await(admin.describeTopic("created-by-api")).partitions()).hasSize(4);

        assertProblem(http.delete("/api/topics/created-by-api"), 400, "BAD_REQUEST", "typed again");
        assertProblem(http.delete("/api/topics/created-by-api?confirm=created-by"), 400, "BAD_REQUEST", "got 'created-by'");
        assertThat(admin.await(admin.listTopics()).stream().map(t -> t.name()).toList()).contains("created-by-api");
        assertThat(http.delete("/api/topics/created-by-api?confirm=created-by-api").status()).isEqualTo(200);
        assertThat(admin.await(admin.listTopics()).stream().map(t -> t.name()).toList()).doesNotContain("created-by-api");
        fixture.awaitOffsetsTopic(); // created on the first group coordinator look-up, not at start
        assertProblem(http.delete("/api/topics/__consumer_offsets?confirm=__consumer_offsets"), 400, "BAD_REQUEST", "internal");
    }

    @Test
    void configsViewAndEditRefusingInvalidValuesWithoutChangingAnything() {
        admin.await(admin.createTopic(NewTopic.of("configured", 1)));
        JsonNode configs = http.get("/api/topics/configured/configs").json();
        assertThat(configs.toString()).contains("\"name\":\"retention.ms\"").contains("\"source\":\"DEFAULT_CONFIG\"");
        assertThat(http.post("/api/topics/configured/configs", "{\"set\":{\"retention.ms\":\"120000\"}}").status()).isEqualTo(200);
        assertThat(admin.await(admin.describeConfig(ConfigResource.topic("configured"))).value("retention.ms")).isEqualTo("120000");
        assertProblem(http.post("/api/topics/configured/configs", "{\"set\":{\"retention.ms\":\"-5x\",\"segment.ms\":\"1000\"}}"),
            400, "INVALID_CONFIG", "retention.ms");
        assertThat(admin.await(admin.describeConfig(ConfigResource.topic("configured"))).overrides())
            .containsEntry("retention.ms", "120000").doesNotContainKey("segment.ms");
        assertProblem(http.post("/api/topics/configured/configs", "{}"), 400, "BAD_REQUEST", "Nothing to change");
        assertProblem(http.post("/api/topics/configured/configs", "{\"set\":{\"a\":{}}}"), 400, "BAD_REQUEST", "set.a");
        assertProblem(http.get("/api/topics/missing/configs"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "missing");
    }

    @Test
    void browseDecodesFiltersTruncatesAndRefusesBadInput() {
        JsonNode newest = http.get("/api/topics/orders/messages?limit=5").json();
        assertThat(newest.get("records").size()).isEqualTo(5);
        JsonNode all = http.get("/api/topics/orders/messages?mode=earliest&limit=1000").json();
        assertThat(all.get("records").size()).isEqualTo(31);
        JsonNode one = http.get("/api/topics/orders/messages?mode=earliest&key=order-7&decode=json").json().get("records");
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.get(0).get("value").get("data").asText()).isEqualTo("{\n  \"n\" : 7\n}");
        assertThat(one.get(0).get("partition").asInt()).isEqualTo(1);
        JsonNode hex = http.get("/api/topics/orders/messages?mode=offset&offset=0&partition=1&limit=1&decode=hex").json().get("records").get(0);
        assertThat(hex.get("value").get("data").asText()).isEqualTo("7b226e223a317d"); // {"n":1}
        JsonNode b64 = http.get("/api/topics/orders/messages?mode=offset&offset=0&partition=1&limit=1&decode=base64").json().get("records").get(0);
        assertThat(b64.get("value").get("data").asText()).isEqualTo("eyJuIjoxfQ==");
        JsonNode big = http.get("/api/topics/orders/messages?mode=earliest&key=big").json().get("records").get(0);
        assertThat(big.get("value").get("truncated").asBoolean()).isTrue();
        assertThat(big.get("value").get("data").asText()).hasSize(1000);
        JsonNode whole = http.get("/api/topics/orders/partitions/0/records/" + big.get("offset").asLong()).json();
        assertThat(whole.get("value").get("data").asText()).hasSize(5000);
        assertThat(http.get("/api/topics/orders/messages?mode=earliest&value=%22n%22%3A2").json().get("records").size())
            .isEqualTo(11); // "n":2, "n":20..29
        long ts = System.currentTimeMillis() + 60_000;
        assertThat(http.get("/api/topics/orders/messages?mode=timestamp&timestamp=" + ts).json().get("records").size()).isZero();

        assertProblem(http.get("/api/topics/orders/messages?limit=100000"), 400, "BAD_REQUEST", "limit must be between 1 and 1000");
        assertProblem(http.get("/api/topics/orders/messages?mode=offset&offset=abc"), 400, "BAD_REQUEST", "offset must be a whole number, got 'abc'");
        assertProblem(http.get("/api/topics/orders/messages?mode=offset&offset=-3"), 400, "BAD_REQUEST", "offset must be between 0");
        assertProblem(http.get("/api/topics/orders/messages?mode=offset"), 400, "BAD_REQUEST", "needs offset");
        assertProblem(http.get("/api/topics/orders/messages?mode=sideways"), 400, "BAD_REQUEST", "mode must be");
        assertProblem(http.get("/api/topics/orders/messages?decode=rot13"), 400, "BAD_REQUEST", "decode must be one of");
        assertProblem(http.get("/api/topics/orders/messages?partition=9"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "no partition 9");
        assertProblem(http.get("/api/topics/orders/messages?partition=x"), 400, "BAD_REQUEST", "partition must be a whole number");
        assertProblem(http.get("/api/topics/ghost/messages"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "ghost");
        assertProblem(http.get("/api/topics/orders/partitions/0/records/99999"), 404, "OFFSET_OUT_OF_RANGE", "99999");
        assertProblem(http.get("/api/topics/orders/partitions/0/records/x"), 400, "BAD_REQUEST", "offset must be a whole number");
    }

    @Test
    void produceFromTheApiAndRefuseBadRecords() {
        admin.await(admin.createTopic(NewTopic.of("produced", 2)));
        ConsoleHttp.Reply ok = http.post("/api/topics/produced/messages",
            "{\"key\":\"k1\",\"value\":\"hello\",\"partition\":1,\"headers\":[{\"key\":\"source\",\"value\":\"console\"}]}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ok.json().get("partition").asInt()).isEqualTo(1);
        JsonNode found = http.get("/api/topics/produced/messages?mode=earliest&key=k1").json().get("records").get(0);
        assertThat(found.get("value").get("data").asText()).isEqualTo("hello");
        assertThat(found.get("headers").get(0).get("value").asText()).isEqualTo("console");
        assertProblem(http.post("/api/topics/produced/messages", "{\"value\":\"x\",\"partition\":7}"), 400, "UNKNOWN_TOPIC_OR_PARTITION", "no partition 7");
        assertProblem(http.post("/api/topics/nowhere/messages", "{\"value\":\"x\"}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nowhere");
        assertProblem(http.post("/api/topics/produced/messages", "{\"value\":\"{oops\",\"valueEncoding\":\"json\"}"), 400, "BAD_REQUEST", "not valid JSON");
        assertProblem(http.post("/api/topics/produced/messages", "{\"value\":\"zz\",\"valueEncoding\":\"hex\"}"), 400, "BAD_REQUEST", "not valid hex");
        assertProblem(http.post("/api/topics/produced/messages", "{\"value\":\"x\",\"headers\":[{\"value\":\"no key\"}]}"), 400, "BAD_REQUEST", "header");
        assertThat(admin.await(admin.listOffsets("produced", io.tributary.clients.admin.OffsetSpec.latest())).values().stream()
            .mapToLong(o -> o.offset()).sum()).isEqualTo(1);
    }

    @Test
    void liveTailStreamsNewRecordsAsServerSentEvents() throws Exception {
        admin.await(admin.createTopic(NewTopic.of("tailed", 1)));
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort()
            + "/api/topics/tailed/tail?key=wanted").toURL().openConnection();
        c.setReadTimeout(15_000);
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("event: ready");
            try (TributaryProducer<String, String> p = producer()) {
                p.send(new ProducerRecord<>("tailed", "other", "skip me"));
                p.send(new ProducerRecord<>("tailed", "wanted", "see me"));
                p.flush();
            }
            String data = null;
            for (int i = 0; i < 20 && data == null; i++) {
                String line = in.readLine();
                if (line != null && line.startsWith("data: ") && line.contains("see me")) {
                    data = line;
                }
                assertThat(line).doesNotContain("skip me");
            }
            assertThat(data).contains("\"wanted\"");
        } finally {
            c.disconnect();
        }
        ConsoleHttp.Reply unknown = http.get("/api/topics/ghost/tail");
        assertProblem(unknown, 404, "UNKNOWN_TOPIC_OR_PARTITION", "ghost");
    }

    @Test
    void groupsLagAndResetWithPreviewRefusedWhileActive() {
        admin.await(admin.createTopic(NewTopic.of("billing-in", 2)));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("billing-in", "k" + i, "v" + i));
            }
            p.flush();
        }
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(Map.of("bootstrap.servers", fixture.bootstrap(),
            "group.id", "billing", "auto.offset.reset", "earliest", "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("billing-in"));
            int[] seen = {0};
            Await.until("the consumer reads 10 records", Duration.ofSeconds(30), () -> {
                seen[0] += consumer.poll(Duration.ofMillis(200)).count();
                return seen[0] >= 10;
            });
            consumer.commitSync();
            JsonNode active = http.get("/api/groups/billing").json();
            assertThat(active.get("state").asText()).isEqualTo("Stable");
            assertThat(active.get("members").size()).isEqualTo(1);
            assertThat(active.get("totalLag").asLong()).isZero();
            ConsoleHttp.Reply refused = http.post("/api/groups/billing/reset", "{\"topic\":\"billing-in\",\"to\":\"earliest\",\"execute\":true}");
            assertProblem(refused, 409, "NON_EMPTY_GROUP", "stop its consumers first");
            // a preview is allowed while active, and commits nothing
            JsonNode preview = http.post("/api/groups/billing/reset", "{\"topic\":\"billing-in\",\"to\":\"earliest\"}").json();
            assertThat(preview.get("executed").asBoolean()).isFalse();
            assertThat(preview.get("plan").get(0).get("newOffset").asLong()).isZero();
        }
        assertThat(admin.await(admin.groupLag("billing")).stream().mapToLong(l -> l.lag()).sum()).isZero();
        JsonNode list = http.get("/api/groups").json();
        assertThat(list.toString()).contains("\"groupId\":\"billing\"");
        JsonNode preview = http.post("/api/groups/billing/reset", "{\"topic\":\"billing-in\",\"to\":\"shift\",\"value\":-3}").json();
        assertThat(preview.get("plan").size()).isEqualTo(2);
        assertThat(admin.await(admin.groupLag("billing")).stream().mapToLong(l -> l.lag()).sum()).isZero();
        JsonNode done = http.post("/api/groups/billing/reset", "{\"topic\":\"billing-in\",\"to\":\"earliest\",\"execute\":true}").json();
        assertThat(done.get("executed").asBoolean()).isTrue();
        JsonNode after = http.get("/api/groups/billing").json();
        assertThat(after.get("totalLag").asLong()).isEqualTo(10);
        assertThat(after.get("lagHistory").size()).isGreaterThanOrEqualTo(1);

        assertProblem(http.post("/api/groups/billing/reset", "{\"to\":\"sideways\"}"), 400, "BAD_REQUEST", "to must be");
        assertProblem(http.post("/api/groups/billing/reset", "{\"to\":\"offset\"}"), 400, "BAD_REQUEST", "value is required");
        assertProblem(http.post("/api/groups/billing/reset", "{\"to\":\"offset\",\"value\":\"x1\"}"), 400, "BAD_REQUEST", "'x1'");
        assertProblem(http.post("/api/groups/billing/reset", "{\"to\":\"timestamp\",\"value\":-1}"), 400, "BAD_REQUEST", "between 0");
        assertProblem(http.post("/api/groups/billing/reset", "{\"topic\":\"ghost\",\"to\":\"earliest\"}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "ghost");
        assertProblem(http.post("/api/groups/billing/reset", "{\"topic\":\"billing-in\",\"partitions\":[5],\"to\":\"earliest\"}"),
            404, "UNKNOWN_TOPIC_OR_PARTITION", "got 5");
        assertProblem(http.get("/api/groups/nobody"), 404, "GROUP_ID_NOT_FOUND", "nobody");
        assertThat(admin.await(admin.groupLag("billing")).stream().mapToLong(l -> l.lag()).sum()).isEqualTo(10);
    }

    @Test
    void readOnlyConsoleRefusesEveryWriteAndChangesNothing() {
        try (ConsoleServer readOnly = ConsoleServer.start(ConsoleSettings.standalone(fixture.bootstrap(), "127.0.0.1", 0, true))) {
            ConsoleHttp ro = new ConsoleHttp("http://127.0.0.1:" + readOnly.address().getPort());
            assertThat(ro.get("/api/info").json().get("readOnly").asBoolean()).isTrue();
            assertThat(ro.get("/api/topics/orders").status()).isEqualTo(200);
            assertProblem(ro.post("/api/topics", "{\"name\":\"ro\",\"partitions\":1}"), 403, "READ_ONLY", "read-only");
            assertProblem(ro.delete("/api/topics/orders?confirm=orders"), 403, "READ_ONLY", "read-only");
            assertProblem(ro.post("/api/topics/orders/messages", "{\"value\":\"x\"}"), 403, "READ_ONLY", "read-only");
            assertProblem(ro.post("/api/topics/orders/configs", "{\"set\":{\"retention.ms\":\"1\"}}"), 403, "READ_ONLY", "read-only");
            assertProblem(ro.post("/api/groups/billing/reset", "{\"to\":\"latest\",\"execute\":true}"), 403, "READ_ONLY", "read-only");
            assertProblem(ro.post("/api/topics/orders.DLT/redrive", "{\"records\":[{\"partition\":0,\"offset\":0}]}"), 403, "READ_ONLY", "read-only");
            // standalone: no broker counters, so sizes are unknown but the pages still answer
            assertThat(ro.get("/api/overview").json().get("totalSize").isNull()).isTrue();
            assertThat(ro.get("/metrics").status()).isEqualTo(404);
        }
        assertThat(admin.await(admin.listTopics()).stream().map(t -> t.name()).toList()).contains("orders").doesNotContain("ro");
        assertThat(admin.await(admin.listOffsets(java.util.Map.of(new TopicPartition("orders", 0),
            io.tributary.clients.admin.OffsetSpec.latest())).all()).get(new TopicPartition("orders", 0)).offset()).isEqualTo(11);
    }
}
