package io.tributary.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.protocol.ErrorCode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes and records into and out of each topic, as Prometheus counters {@code tributary_topic_bytes_in_total},
 * {@code tributary_topic_records_in_total}, {@code tributary_topic_bytes_out_total} and
 * {@code tributary_topic_records_out_total}, tagged {@code topic}.
 *
 * <p>Design note: the four counters of a topic are created once and cached, so the request path does one
 * map lookup per topic and partition and never builds tags; counters of deleted topics are dropped at the
 * next scrape ({@link #retainOnly}).
 */
public final class TopicTraffic {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Meters> byTopic = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ErrorCode, Counter> refusedByError = new ConcurrentHashMap<>();

    /** One topic's counters. */
    public record Meters(Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
    }

    TopicTraffic(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * {@code tributary_produce_refused_total}, tagged {@code error}: partitions of Produce requests answered with
     * {@code error} (the validation refusals CORRUPT_MESSAGE, INVALID_RECORD, INVALID_TIMESTAMP, ... and every other
     * partition error). Not per topic: a refused request may name topics that do not exist.
     */
    public Counter produceRefused(ErrorCode error) {
        Counter counter = refusedByError.get(error);
        return counter != null ? counter : refusedByError.computeIfAbsent(error, e -> Counter.builder("tributary.produce.refused")
            .tag("error", e.name()).description("Produce partitions refused, by the error answered").register(registry));
    }

    /** The counters of {@code topic}, created on first use. */
    public Meters of(String topic) {
        Meters meters = byTopic.get(topic);
        return meters != null ? meters : byTopic.computeIfAbsent(topic, this::create);
    }

    private Meters create(String topic) {
        return new Meters(
            Counter.builder("tributary.topic.bytes.in").tag("topic", topic)
                .description("Bytes of record batches appended to the topic by producers").register(registry),
            Counter.builder("tributary.topic.records.in").tag("topic", topic)
                .description("Records appended to the topic by producers").register(registry),
            Counter.builder("tributary.topic.bytes.out").tag("topic", topic)
                .description("Bytes of record batches sent to fetchers of the topic").register(registry),
            Counter.builder("tributary.topic.records.out").tag("topic", topic)
                .description("Offsets covered by the batches sent to fetchers of the topic (records, less any compacted away)")
                .register(registry));
    }

    /** Totals over every topic: bytesIn, recordsIn, bytesOut, recordsOut (topics deleted since are not counted). */
    public long[] totals() {
        long[] t = new long[4];
        for (Meters m : byTopic.values()) {
            t[0] += (long) m.bytesIn().count();
            t[1] += (long) m.recordsIn().count();
            t[2] += (long) m.bytesOut().count();
            t[3] += (long) m.recordsOut().count();
        }
        return t;
    }

    /** Forgets the counters of topics not in {@code existing} (deleted since). */
    void retainOnly(Set<String> existing) {
        byTopic.entrySet().removeIf(entry -> {
            if (existing.contains(entry.getKey())) {
                return false;
            }
            Meters m = entry.getValue();
            registry.remove(m.bytesIn());
            registry.remove(m.recordsIn());
            registry.remove(m.bytesOut());
            registry.remove(m.recordsOut());
            return true;
        });
    }
}
