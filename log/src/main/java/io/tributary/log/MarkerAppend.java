package io.tributary.log;

import io.tributary.log.producer.CompletedTxn;
import io.tributary.log.producer.ProducerRefusal;

/**
 * What {@link PartitionLog#appendTransactionMarker} did: exactly one of
 * <ul>
 *   <li>{@code appended}: the marker was written (the fsync {@code flush.messages} may call for is left to the
 *       caller); {@code completed} is the transaction it ended, or null when the producer had none open here;</li>
 *   <li>{@code refusal}: the producer's epoch or the coordinator's epoch is stale; nothing was written.</li>
 * </ul>
 */
public record MarkerAppend(UnflushedAppend appended, CompletedTxn completed, ProducerRefusal refusal) {
    static MarkerAppend appended(UnflushedAppend appended, CompletedTxn completed) {
        return new MarkerAppend(appended, completed, null);
    }

    static MarkerAppend refused(ProducerRefusal refusal) {
        return new MarkerAppend(null, null, refusal);
    }
}
