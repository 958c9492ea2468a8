package io.tributary.server.fetch;

import io.tributary.log.LogSlice;
import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * The outcome of reading one partition for a fetch: an error, or the partition's offsets and the records
 * read (a log slice, null when there were none).
 *
 * <p>Errors come in two kinds, as in Kafka: a partition the broker does not know ({@code readFailed}
 * false: unknown topic, topic id or partition) is simply answered with its error, while a failure of the
 * read itself (out-of-range offset, leader epoch mismatch, storage error; {@code readFailed} true) makes
 * the whole fetch answer at once instead of waiting for min_bytes. With an error, the offsets are -1.
 *
 * <p>{@code abortedTransactions} is null for a read_uncommitted read (Kafka sends a null array then); for a
 * read_committed one, the aborted transactions overlapping the records read, from the log's aborted-transaction
 * index.
 *
 * <p>{@code divergingEpoch} is set for a follower whose last fetched epoch ended earlier in this leader's log than
 * its fetch offset (Fetch v12+): it must truncate, and gets no records. {@code watchedOffset} is what a parked fetch
 * watches for a change: the high watermark for a consumer, the log end offset for a follower.
 *
 * <p>Whoever holds a read with a slice must release it or hand it on to a response.
 */
record PartitionRead(PartitionRequest request, TopicPartition partition, ErrorCode error, boolean readFailed,
                     long highWatermark, long lastStableOffset, long logStartOffset, LogSlice slice,
                     List<AbortedTxn> abortedTransactions, EpochEndOffset divergingEpoch, long watchedOffset) {

    PartitionRead(PartitionRequest request, TopicPartition partition, ErrorCode error, boolean readFailed,
                  long highWatermark, long lastStableOffset, long logStartOffset, LogSlice slice) {
        this(request, partition, error, readFailed, highWatermark, lastStableOffset, logStartOffset, slice, null);
    }

    PartitionRead(PartitionRequest request, TopicPartition partition, ErrorCode error, boolean readFailed,
                  long highWatermark, long lastStableOffset, long logStartOffset, LogSlice slice,
                  List<AbortedTxn> abortedTransactions) {
        this(request, partition, error, readFailed, highWatermark, lastStableOffset, logStartOffset, slice,
            abortedTransactions, null, highWatermark);
    }

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
