package io.tributary.console;

import java.util.OptionalLong;

/**
 * What a broker running the console in-process knows that the Kafka protocol (as our clients speak it) does
 * not tell: its cumulative traffic counters and the bytes each partition holds on disk. Standalone, the console
 * has none; it counts records in from end offsets and leaves bytes and the out direction blank.
 */
public interface BrokerStats {
    /** Totals since the broker started; rates are differences of two readings. */
    TrafficTotals traffic();

    /** Bytes of {@code topic}-{@code partition} on disk, or empty when this broker does not host it. */
    OptionalLong partitionSize(String topic, int partition);

    /**
     * The cumulative counters of one topic on this broker (records in here are appends, as in {@link #traffic()}),
     * or empty when the broker has none for it.
     */
    default java.util.Optional<TrafficTotals> topicTraffic(String topic) {
        return java.util.Optional.empty();
    }

    /** Cumulative counters; a value of -1 means "not known here". */
    record TrafficTotals(long recordsIn, long bytesIn, long recordsOut, long bytesOut) {
    }
}
