package io.tributary.server.fetch;

import io.tributary.log.LogSlice;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.ErrorCode;

/**
 * The outcome of reading one partition for a fetch: an error, or the partition's offsets and the records
 * read (a log slice, null when there were none).
 *
 * <p>Errors come in two kinds, as in Kafka: a partition the broker does not know ({@code readFailed}
 * false: unknown topic, topic id or partition) is simply answered with its error, while a failure of the
 * read itself (out-of-range offset, leader epoch mismatch, storage error; {@code readFailed} true) makes
 * the whole fetch answer at once instead of waiting for min_bytes. With an error, the offsets are -1.
 *
 * <p>Whoever holds a read with a slice must release it or hand it on to a response.
 */
record PartitionRead(PartitionRequest request, TopicPartition partition, ErrorCode error, boolean readFailed,
                     long highWatermark, long lastStableOffset, long logStartOffset, LogSlice slice) {

    static PartitionRead unknown(PartitionRequest request, ErrorCode error) {
        return new PartitionRead(request, null, error, false, -1, -1, -1, null);
    }

    static PartitionRead failed(PartitionRequest request, TopicPartition partition, ErrorCode error) {
        return new PartitionRead(request, partition, error, true, -1, -1, -1, null);
    }

    FetchKey key() {
        return request.key();
    }

    int bytes() {
        return slice == null ? 0 : slice.length();
    }

    void release() {
        if (slice != null) {
            slice.release();
        }
    }
}
