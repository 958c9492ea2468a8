package io.tributary.bench.driver;

import java.time.Duration;
import java.util.List;

/** One consumer of a driver: reads assigned partitions from their first offset, without a group. */
public interface BenchConsumer extends AutoCloseable {

    /** A consumed record, valid only during the {@link Visitor#visit} call that receives it. */
    interface ConsumedRecord {
        String topic();

        int partition();

        long offset();

        long timestamp();

        /** Key plus value bytes. */
        int size();

        /** The last header with that key, or null. */
        byte[] header(String key);
    }

    @FunctionalInterface
    interface Visitor {
        void visit(ConsumedRecord record);
    }

    /** Assigns these partitions of {@code topic} (replacing earlier ones), each read from its first offset. */
    void assign(String topic, List<Integer> partitions);

    /** Waits at most {@code timeout} for records and hands each to {@code visitor}; returns how many. */
    int poll(Duration timeout, Visitor visitor);

    /** Interrupts a poll in progress from another thread; that poll returns early (0 records or an exception). */
    void wakeup();

    @Override
    void close();
}
