package io.tributary.log.txn;

/**
 * One aborted transaction of one producer in one partition: its batches lie in [{@code firstOffset},
 * {@code lastOffset}], the last being the ABORT marker; {@code lastStableOffset} is the partition's last stable
 * offset right after the abort. Kafka's {@code AbortedTxn}; what a read_committed fetch lists in
 * {@code aborted_transactions} (producer id and first offset) so the consumer drops those batches.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    public AbortedTxn {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("Aborted transaction of producer " + producerId + " spans [" + firstOffset
                + ", " + lastOffset + "]; offsets must be non-negative and in order");
        }
    }
}
