package io.tributary.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.clients.Headers;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.ListedOffset;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.console.http.ApiProblem;
import io.tributary.console.http.ApiRequest;
import io.tributary.console.http.EventSink;
import io.tributary.console.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The message browser: reads a page of records from chosen partitions with a group-less consumer, produces a
 * record from the page, and follows new records as server-sent events.
 *
 * <p>A browse reads forward from where {@code mode} says (earliest, an offset, a timestamp, or the newest
 * {@code limit} of each partition) up to the end offsets taken when it started, so a page is a snapshot; it
 * stops at {@code limit} matching records, at {@link #MAX_SCAN} records read, or after {@link #BROWSE_DEADLINE_MS}.
 * Query: {@code partition=0,2 mode=earliest|offset|timestamp|newest offset= timestamp= limit=(1..1000)
 * decode=text|json|hex|base64 keyDecode= key= header= value= maxChars=}.
 */
final class Messages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Messages.class);
    static final int MAX_LIMIT = 1000;
    static final int MAX_SCAN = 100_000;
    static final long BROWSE_DEADLINE_MS = 8_000;
    static final int MAX_TAILS = 8;
    static final int DEFAULT_MAX_CHARS = 1_000;

    private final ClusterClients clients;
    private final Topics topics;
    private final AtomicInteger tails = new AtomicInteger();
    private volatile boolean closed;

    Messages(ClusterClients clients, Topics topics) {
        this.clients = clients;
        this.topics = topics;
    }

    private record Selection(TopicDescription topic, List<TopicPartition> partitions) {
    }

    private Selection select(String topic, ApiRequest request) {
        List<Integer> asked = request.intListParam("partition", 0, Integer.MAX_VALUE);
        TopicDescription d = topics.description(topic);
        int count = d.partitions().size();
        List<TopicPartition> parts = new ArrayList<>();
        if (asked.isEmpty()) {
            parts.addAll(d.topicPartitions());
        } else {
            for (int p : asked) {
                if (p >= count) {
                    throw new ApiProblem(404, "UNKNOWN_TOPIC_OR_PARTITION", "Topic '" + topic + "' has partitions 0.."
                        + (count - 1) + "; there is no partition " + p);
                }
                parts.add(new TopicPartition(topic, p));
            }
        }
        return new Selection(d, parts);
    }

    private static RecordView.Filter filter(ApiRequest request) {
        return new RecordView.Filter(request.param("key"), request.param("header"), request.param("value"));
    }

    Map<String, Object> browse(String topic, ApiRequest request) {
        int limit = (int) request.longParam("limit", 100, 1, MAX_LIMIT);
        String mode = request.param("mode", "newest");
        RecordView.Decoding valueAs = RecordView.decoding(request.param("decode"), "decode");
        RecordView.Decoding keyAs = RecordView.decoding(request.param("keyDecode"), "keyDecode");
        int maxChars = (int) request.longParam("maxChars", DEFAULT_MAX_CHARS, 16, 1_000_000);
        long offset = -1;
        long timestamp = -1;
        switch (mode) {
            case "offset" -> {
                if (request.param("offset") == null) {
                    throw ApiProblem.badRequest("mode=offset needs offset=N (N >= 0)");
                }
                offset = request.longParam("offset", 0, 0, Long.MAX_VALUE);
            }
            case "timestamp" -> {
                if (request.param("timestamp") == null) {
                    throw ApiProblem.badRequest("mode=timestamp needs timestamp=MS (milliseconds since the epoch)");
                }
                timestamp = request.longParam("timestamp", 0, 0, Long.MAX_VALUE);
            }
            case "newest", "earliest" -> {
            }
            default -> throw ApiProblem.badRequest("mode must be earliest, offset, timestamp or newest; got '" + mode + "'");
        }
        RecordView.Filter filter = filter(request);
        Selection sel = select(topic, request);
        Map<TopicPartition, Long> starts = ConsoleApi.offsets(clients, sel.partitions(), OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, sel.partitions(), OffsetSpec.latest());
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        Map<TopicPartition, ListedOffset> byTime = timestamp < 0 ? Map.of()
            : clients.await(clients.admin().listOffsets(specs(sel.partitions(), OffsetSpec.forTimestamp(timestamp))).all());
        long window = filter.isEmpty() ? limit : Math.min(MAX_SCAN / Math.max(1, sel.partitions().size()), (long) limit * 100);
        for (TopicPartition tp : sel.partitions()) {
            long start = starts.get(tp);
            long end = ends.get(tp);
            long at = switch (mode) {
                case "offset" -> Math.max(start, Math.min(offset, end));
                case "timestamp" -> byTime.get(tp).found() ? byTime.get(tp).offset() : end;
                case "newest" -> Math.max(start, end - window);
                default -> start;
            };
            from.put(tp, at);
        }
        boolean newest = mode.equals("newest");
        List<ConsumerRecord<byte[], byte[]>> matched = new ArrayList<>();
        int scanned = 0;
        Map<TopicPartition, Long> next = new HashMap<>(from);
        List<TopicPartition> toRead = sel.partitions().stream().filter(tp -> from.get(tp) < ends.get(tp)).toList();
        long deadline = System.currentTimeMillis() + BROWSE_DEADLINE_MS;
        boolean timedOut = false;
        if (!toRead.isEmpty()) {
            try (TributaryConsumer<byte[], byte[]> consumer = clients.consumer("browser")) {
                consumer.assign(toRead);
                toRead.forEach(tp -> consumer.seek(tp, from.get(tp)));
                List<TopicPartition> open = new ArrayList<>(toRead);
                while (!open.isEmpty() && (newest || matched.size() < limit) && scanned < MAX_SCAN) {
                    if (System.currentTimeMillis() > deadline) {
                        timedOut = true;
                        break;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= ends.get(tp)) {
                            continue; // newer than the snapshot this page shows
                        }
                        scanned++;
                        next.put(tp, r.offset() + 1);
                        if (filter.matches(r) && (newest || matched.size() < limit)) {
                            matched.add(r);
                        }
                    }
                    open.removeIf(tp -> {
                        boolean done = consumer.position(tp) >= ends.get(tp);
                        if (done) {
                            consumer.pause(List.of(tp));
                        }
                        return done;
                    });
                }
            }
        }
        if (newest) {
            matched.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingLong(ConsumerRecord::offset).reversed());
            if (matched.size() > limit) {
                matched = new ArrayList<>(matched.subList(0, limit));
            }
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : matched) {
            records.add(RecordView.view(r, keyAs, valueAs, maxChars));
        }
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (TopicPartition tp : sel.partitions()) {
            partitions.add(Map.of("partition", tp.partition(), "startOffset", starts.get(tp), "endOffset", ends.get(tp),
                "nextOffset", next.get(tp)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topic", topic);
        out.put("mode", mode);
        out.put("records", records);
        out.put("scanned", scanned);
        out.put("timedOut", timedOut);
        out.put("partitions", partitions);
        return out;
    }

    private static Map<TopicPartition, OffsetSpec> specs(List<TopicPartition> parts, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        parts.forEach(tp -> specs.put(tp, spec));
        return specs;
    }

    /** One record whole (the page's "expand"); 404 when the offset holds none (compacted, or beyond the end). */
    Map<String, Object> record(String topic, int partition, long offset, ApiRequest request) {
        RecordView.Decoding valueAs = RecordView.decoding(request.param("decode"), "decode");
        RecordView.Decoding keyAs = RecordView.decoding(request.param("keyDecode"), "keyDecode");
        TopicDescription d = topics.description(topic);
        if (partition >= d.partitions().size()) {
            throw new ApiProblem(404, "UNKNOWN_TOPIC_OR_PARTITION", "Topic '" + topic + "' has no partition " + partition);
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        long end = ConsoleApi.offsets(clients, List.of(tp), OffsetSpec.latest()).get(tp);
        if (offset >= end) {
            throw new ApiProblem(404, "OFFSET_OUT_OF_RANGE", "Partition " + tp + " ends at offset " + end + "; there is no record at " + offset);
        }
        long deadline = System.currentTimeMillis() + BROWSE_DEADLINE_MS;
        try (TributaryConsumer<byte[], byte[]> consumer = clients.consumer("record")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            while (System.currentTimeMillis() < deadline && consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return RecordView.view(r, keyAs, valueAs, Integer.MAX_VALUE);
                    }
                    if (r.offset() > offset) {
                        throw new ApiProblem(404, "OFFSET_OUT_OF_RANGE", "Partition " + tp + " has no record at offset "
                            + offset + " (compacted away); the next is " + r.offset());
                    }
                }
            }
        }
        throw new ApiProblem(504, "TIMEOUT", "Could not read offset " + offset + " of " + tp + " in time");
    }

    Map<String, Object> produce(String topic, JsonNode body) {
        TopicDescription d = topics.description(topic);
        Integer partition = null;
        if (body.has("partition") && !body.get("partition").isNull()) {
            partition = Topics.intField(body, "partition", 0, Integer.MAX_VALUE);
            if (partition >= d.partitions().size()) {
                throw new ApiProblem(400, "UNKNOWN_TOPIC_OR_PARTITION", "Topic '" + topic + "' has partitions 0.."
                    + (d.partitions().size() - 1) + "; there is no partition " + partition);
            }
        }
        byte[] key = RecordView.encode(optionalText(body, "key"), optionalText(body, "keyEncoding"), "key");
        byte[] value = RecordView.encode(optionalText(body, "value"), optionalText(body, "valueEncoding"), "value");
        Headers headers = new Headers();
        JsonNode hs = body.get("headers");
        if (hs != null && !hs.isNull()) {
            if (!hs.isArray()) {
                throw ApiProblem.badRequest("headers must be a list of {key, value}, got " + hs.getNodeType());
            }
            for (JsonNode h : hs) {
                if (!h.isObject() || !h.has("key") || !h.get("key").isTextual() || h.get("key").asText().isEmpty()) {
                    throw ApiProblem.badRequest("each header needs a non-empty key string, got " + h);
                }
                JsonNode v = h.get("value");
                headers.add(h.get("key").asText(), v == null || v.isNull() ? null
                    : v.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        RecordMetadata meta;
        try {
            meta = clients.producer().send(new ProducerRecord<>(topic, partition, null, key, value, headers))
                .get(ClusterClients.API_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw KafkaErrors.problem(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiProblem(504, "TIMEOUT", "The record to '" + topic + "' was not acknowledged in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(503, "INTERRUPTED", "Interrupted while producing");
        } catch (RuntimeException e) {
            throw KafkaErrors.problem(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topic", topic);
        out.put("partition", meta.partition().partition());
        out.put("offset", meta.offset());
        out.put("timestamp", meta.timestamp());
        return out;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isContainerNode()) {
            return n.toString(); // a JSON value given as JSON: produced as its text
        }
        return n.asText();
    }

    /**
     * Follows the selected partitions from their end: every new record that passes the filter is one "record"
     * event; a heartbeat every 10 s; stops when the browser goes away or the console closes. Checked (topic,
     * partitions, decodings) before the stream starts, so bad input is still a plain 4xx.
     */
    void tail(String topic, ApiRequest request, EventSink sink) {
        RecordView.Decoding valueAs = RecordView.decoding(request.param("decode"), "decode");
        RecordView.Decoding keyAs = RecordView.decoding(request.param("keyDecode"), "keyDecode");
        int maxChars = (int) request.longParam("maxChars", DEFAULT_MAX_CHARS, 16, 1_000_000);
        RecordView.Filter filter = filter(request);
        Selection sel = select(topic, request);
        if (tails.incrementAndGet() > MAX_TAILS) {
            tails.decrementAndGet();
            throw new ApiProblem(429, "TOO_MANY_TAILS", "At most " + MAX_TAILS + " live tails run at once; close one first");
        }
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, sel.partitions(), OffsetSpec.latest());
        EventSink events = sink;
        Thread thread = new Thread(() -> {
            try (TributaryConsumer<byte[], byte[]> consumer = clients.consumer("tail")) {
                consumer.assign(sel.partitions());
                sel.partitions().forEach(tp -> consumer.seek(tp, ends.get(tp)));
                events.send("ready", Json.string(Map.of("topic", topic, "from", positions(ends))));
                long lastBeat = System.currentTimeMillis();
                while (events.isOpen() && !closed) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                        if (filter.matches(r)) {
                            events.send("record", Json.string(RecordView.view(r, keyAs, valueAs, maxChars)));
                        }
                    }
                    for (int i = 0; i < 50 && events.isOpen() && !events.isWritable(); i++) {
                        Thread.sleep(20); // the browser is behind: let it drain, bounded, before reading more
                    }
                    if (System.currentTimeMillis() - lastBeat > 10_000) {
                        events.heartbeat();
                        lastBeat = System.currentTimeMillis();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                ApiProblem p;
                try {
                    p = KafkaErrors.problem(e);
                } catch (RuntimeException bug) {
                    log.warn("Live tail of {} failed", topic, bug);
                    p = new ApiProblem(500, "INTERNAL_ERROR", "The live tail failed: " + bug);
                }
                events.send("error", Json.string(Map.of("error", p.error(), "message", String.valueOf(p.getMessage()))));
            } finally {
                tails.decrementAndGet();
                events.close();
            }
        }, "console-tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private static Map<String, Long> positions(Map<TopicPartition, Long> offsets) {
        Map<String, Long> out = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> out.put(Integer.toString(tp.partition()), o));
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }
}
