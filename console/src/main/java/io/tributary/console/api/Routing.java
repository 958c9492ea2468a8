package io.tributary.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.clients.Headers;
import io.tributary.clients.admin.Config;
import io.tributary.clients.admin.ConfigResource;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.TopicListing;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.clients.routing.RoutingHeaders;
import io.tributary.clients.routing.exchange.Binding;
import io.tributary.clients.routing.exchange.Bindings;
import io.tributary.console.http.ApiProblem;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The routing page (docs/ROUTING.md): ordered topics with their growth fences as generations, the exchange
 * bindings of RoutingProducers from the bindings files the console was given (a RoutingProducer keeps its
 * bindings in memory; the file its {@code reload(path)} reads is where they are published), the dead-letter
 * topics ({@code <topic>.DLT}) with their record counts, and re-driving chosen dead letters to their original
 * topic.
 *
 * <p>A re-drive reads every chosen record first and refuses the whole request (nothing produced) if one is
 * missing, is not a dead letter (no {@code tributary.dlt.original.topic} header) or names a topic that no longer
 * exists; then it produces each one's key, value and headers, less the {@code tributary.dlt.*} headers, plus
 * {@value #REDRIVEN_FROM} naming where it came from, placed by its key as any send would be.
 */
final class Routing {
    static final int MAX_REDRIVE = 100;
    static final String REDRIVEN_FROM = "tributary.dlt.redriven.from";
    private static final String DLT_HEADER_PREFIX = "tributary.dlt.";

    private final ClusterClients clients;
    private final Topics topics;
    private final List<Path> bindingsFiles;

    Routing(ClusterClients clients, Topics topics, List<Path> bindingsFiles) {
        this.clients = clients;
        this.topics = topics;
        this.bindingsFiles = bindingsFiles;
    }

    Map<String, Object> overview() {
        List<TopicListing> listed = clients.await(clients.admin().listTopics(false));
        Set<String> names = new HashSet<>();
        listed.forEach(t -> names.add(t.name()));
        List<Map<String, Object>> ordered = new ArrayList<>();
        List<Map<String, Object>> deadLetters = new ArrayList<>();
        if (!names.isEmpty()) {
            List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(names));
            Map<String, TopicDescription> described = clients.await(clients.admin().describeTopics(sorted).all());
            Map<ConfigResource, Config> configs = clients.await(clients.admin().describeConfigs(
                sorted.stream().map(ConfigResource::topic).toList()).all());
            List<TopicPartition> dltParts = new ArrayList<>();
            for (String name : sorted) {
                Config c = configs.get(ConfigResource.topic(name));
                TopicDescription d = described.get(name);
                if (c != null && RoutingMode.ORDERED.configName.equals(c.value(RoutingMode.CONFIG))) {
                    ordered.add(orderedTopic(name, d == null ? 0 : d.partitions().size(), c.value(RoutingFences.CONFIG)));
                }
                if (name.endsWith(RoutingHeaders.DLT_SUFFIX) && d != null) {
                    dltParts.addAll(d.topicPartitions());
                }
            }
            Map<TopicPartition, Long> starts = ConsoleApi.offsets(clients, dltParts, OffsetSpec.earliest());
            Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, dltParts, OffsetSpec.latest());
            Map<String, long[]> counts = new TreeMap<>();
            for (TopicPartition tp : dltParts) {
                long[] c = counts.computeIfAbsent(tp.topic(), t -> new long[2]);
                c[0] += Math.max(0, ends.getOrDefault(tp, 0L) - starts.getOrDefault(tp, 0L));
                c[1]++;
            }
            counts.forEach((dlt, c) -> {
                String original = dlt.substring(0, dlt.length() - RoutingHeaders.DLT_SUFFIX.length());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("topic", dlt);
                row.put("originalTopic", original);
                row.put("originalExists", names.contains(original));
                row.put("records", c[0]);
                row.put("partitions", (int) c[1]);
                deadLetters.add(row);
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orderedTopics", ordered);
        out.put("bindings", bindings(names));
        out.put("deadLetterTopics", deadLetters);
        return out;
    }

    private static Map<String, Object> orderedTopic(String name, int partitions, String fencesValue) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("topic", name);
        row.put("partitions", partitions);
        row.put("fences", fencesValue == null ? "" : fencesValue);
        List<Map<String, Object>> growths = new ArrayList<>();
        try {
            RoutingFences fences = fencesValue == null || fencesValue.isBlank() ? RoutingFences.NONE : RoutingFences.parse(fencesValue);
            int generation = 1;
            for (RoutingFences.Growth g : fences.growths()) {
                Map<String, Object> growth = new LinkedHashMap<>();
                growth.put("generation", generation++);
                growth.put("from", g.partitionsBefore());
                growth.put("to", g.partitionsAfter());
                List<Long> offsets = new ArrayList<>();
                for (int p = 0; p < g.partitionsBefore(); p++) {
                    offsets.add(g.fenceOffset(p));
                }
                growth.put("fenceOffsets", offsets);
                growths.add(growth);
            }
        } catch (IllegalArgumentException e) {
            row.put("fencesError", e.getMessage()); // a cluster that is not Tributary may say anything here
        }
        row.put("growths", growths);
        return row;
    }

    private List<Map<String, Object>> bindings(Set<String> topicNames) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : bindingsFiles) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", file.toString());
            try {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Binding b : Bindings.load(file).all()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("type", b.type().name().toLowerCase(java.util.Locale.ROOT));
                    row.put("key", b.key());
                    row.put("destination", b.destination());
                    row.put("destinationExists", topicNames.contains(b.destination()));
                    rows.add(row);
                }
                f.put("bindings", rows);
            } catch (RuntimeException e) { // unreadable or malformed: shown on the page, the rest still answers
                f.put("error", e.getMessage());
                f.put("bindings", List.of());
            }
            files.add(f);
        }
        return files;
    }

    /** The topics a send with {@code routingKey} would reach under each bindings file. */
    Map<String, Object> match(String routingKey) {
        if (routingKey == null) {
            throw ApiProblem.badRequest("key=ROUTING_KEY is required (the empty key is key=\"\")");
        }
        String key = routingKey.equals("\"\"") ? "" : routingKey;
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : bindingsFiles) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", file.toString());
            try {
                f.put("destinations", List.copyOf(Bindings.load(file).destinations(key)));
            } catch (RuntimeException e) {
                f.put("error", e.getMessage());
            }
            files.add(f);
        }
        return Map.of("key", key, "files", files);
    }

    /** {@code {records: [{partition, offset}]}}: re-drives those dead letters of {@code dlt} (see the class comment). */
    Map<String, Object> redrive(String dlt, JsonNode body) {
        if (!dlt.endsWith(RoutingHeaders.DLT_SUFFIX)) {
            throw ApiProblem.badRequest("'" + dlt + "' is not a dead-letter topic (its name does not end in "
                + RoutingHeaders.DLT_SUFFIX + ")");
        }
        JsonNode list = body.get("records");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiProblem.badRequest("records must be a non-empty list of {partition, offset}");
        }
        if (list.size() > MAX_REDRIVE) {
            throw ApiProblem.badRequest("At most " + MAX_REDRIVE + " records are re-driven at once, got " + list.size());
        }
        TopicDescription d = topics.description(dlt);
        Map<TopicPartition, Set<Long>> wanted = new LinkedHashMap<>();
        for (JsonNode r : list) {
            if (!r.isObject()) {
                throw ApiProblem.badRequest("each record is {partition, offset}, got " + r);
            }
            int partition = Topics.intField(r, "partition", 0, Integer.MAX_VALUE);
            if (partition >= d.partitions().size()) {
                throw new ApiProblem(404, "UNKNOWN_TOPIC_OR_PARTITION", "Topic '" + dlt + "' has partitions 0.."
                    + (d.partitions().size() - 1) + "; there is no partition " + partition);
            }
            JsonNode o = r.get("offset");
            if (o == null || !o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw ApiProblem.badRequest("offset must be a whole number >= 0, got " + o);
            }
            wanted.computeIfAbsent(new TopicPartition(dlt, partition), tp -> new java.util.TreeSet<>()).add(o.asLong());
        }
        List<ConsumerRecord<byte[], byte[]>> read = readExactly(wanted);
        Set<String> originals = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            String original = header(r, RoutingHeaders.DLT_ORIGINAL_TOPIC);
            if (original == null || original.isEmpty()) {
                throw new ApiProblem(400, "NOT_A_DEAD_LETTER", "Record " + r.partition() + "@" + r.offset() + " of " + dlt
                    + " has no " + RoutingHeaders.DLT_ORIGINAL_TOPIC + " header, so the console cannot tell where it came from");
            }
            originals.add(original);
        }
        for (String original : originals) {
            topics.description(original); // 404 before anything is produced
        }
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            Headers headers = new Headers();
            for (Header h : r.headers()) {
                if (!h.key().startsWith(DLT_HEADER_PREFIX)) {
                    headers.add(h.key(), h.value() == null ? null : RecordView.bytes(h.value()));
                }
            }
            headers.add(REDRIVEN_FROM, (dlt + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
            sent.add(clients.producer().send(new ProducerRecord<>(header(r, RoutingHeaders.DLT_ORIGINAL_TOPIC), null, null,
                r.key(), r.value(), headers)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = read.get(i);
            RecordMetadata meta;
            try {
                meta = sent.get(i).get(ClusterClients.API_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw KafkaErrors.problem(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ApiProblem(504, "TIMEOUT", "Re-driving " + dlt + " " + r.partition() + "@" + r.offset()
                    + " was not acknowledged in time; " + i + " of " + read.size() + " were");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiProblem(503, "INTERRUPTED", "Interrupted while re-driving");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", r.partition());
            row.put("offset", r.offset());
            row.put("toTopic", meta.partition().topic());
            row.put("toPartition", meta.partition().partition());
            row.put("toOffset", meta.offset());
            rows.add(row);
        }
        return Map.of("topic", dlt, "redriven", rows);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        for (Header h : r.headers()) {
            if (h.key().equals(name)) {
                return h.value() == null ? null : RecordView.text(RecordView.bytes(h.value()));
            }
        }
        return null;
    }

    /** The records at exactly these offsets, in the order asked; 404 when one holds none. */
    private List<ConsumerRecord<byte[], byte[]>> readExactly(Map<TopicPartition, Set<Long>> wanted) {
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, new ArrayList<>(wanted.keySet()), OffsetSpec.latest());
        Map<TopicPartition, Map<Long, ConsumerRecord<byte[], byte[]>>> found = new LinkedHashMap<>();
        wanted.forEach((tp, offsets) -> {
            long last = ((java.util.TreeSet<Long>) offsets).last();
            if (last >= ends.get(tp)) {
                throw new ApiProblem(404, "OFFSET_OUT_OF_RANGE", "Partition " + tp + " ends at offset " + ends.get(tp)
                    + "; there is no record at " + last);
            }
            found.put(tp, new TreeMap<>());
        });
        long deadline = System.currentTimeMillis() + Messages.BROWSE_DEADLINE_MS;
        try (TributaryConsumer<byte[], byte[]> consumer = clients.consumer("redrive")) {
            consumer.assign(new ArrayList<>(wanted.keySet()));
            wanted.forEach((tp, offsets) -> consumer.seek(tp, ((java.util.TreeSet<Long>) offsets).first()));
            Set<TopicPartition> open = new HashSet<>(wanted.keySet());
            while (!open.isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new ApiProblem(504, "TIMEOUT", "Could not read the chosen records of " + open + " in time; nothing was re-driven");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (wanted.get(tp).contains(r.offset())) {
                        found.get(tp).put(r.offset(), r);
                    }
                }
                open.removeIf(tp -> {
                    long last = ((java.util.TreeSet<Long>) wanted.get(tp)).last();
                    boolean done = consumer.position(tp) > last;
                    if (done) {
                        consumer.pause(List.of(tp));
                    }
                    return done;
                });
            }
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        wanted.forEach((tp, offsets) -> {
            for (long o : offsets) {
                ConsumerRecord<byte[], byte[]> r = found.get(tp).get(o);
                if (r == null) {
                    throw new ApiProblem(404, "OFFSET_OUT_OF_RANGE", "Partition " + tp + " has no record at offset " + o
                        + " (deleted by retention or compacted away); nothing was re-driven");
                }
                out.add(r);
            }
        });
        return out;
    }
}
