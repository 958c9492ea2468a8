package io.tributary.log;

import io.tributary.log.producer.BatchMetadata;
import io.tributary.log.producer.ProducerRefusal;

/**
 * What {@link PartitionLog#appendAsLeader} did with a batch: exactly one of
 * <ul>
 *   <li>{@code appended}: written (the fsync {@code flush.messages} may call for is left to the caller);</li>
 *   <li>{@code duplicate}: a retry of a batch the producer wrote before, not written again; answer it with the
 *       original's offsets and append time;</li>
 *   <li>{@code refusal}: refused by the idempotent-producer rules; nothing was written.</li>
 * </ul>
 */
public record LeaderAppend(UnflushedAppend appended, BatchMetadata duplicate, ProducerRefusal refusal) {
    static LeaderAppend appended(UnflushedAppend appended) {
        return new LeaderAppend(appended, null, null);
    }

    static LeaderAppend duplicate(BatchMetadata original) {
        return new LeaderAppend(null, original, null);
    }

    static LeaderAppend refused(ProducerRefusal refusal) {
        return new LeaderAppend(null, null, refusal);
    }
}
