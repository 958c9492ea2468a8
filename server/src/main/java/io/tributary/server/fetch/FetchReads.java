package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * Every partition of one fetch, read in order under the response-wide budget: the reads, the record bytes
 * they hold, and whether any read itself failed (which answers the fetch without waiting).
 */
record FetchReads(List<PartitionRead> partitions, long bytes, boolean anyReadFailed) {

    /** Whether some partition was readable at all (no error); a fetch of only unknown partitions never waits. */
    boolean anyReadable() {
        for (PartitionRead read : partitions) {
            if (read.error() == ErrorCode.NONE) {
                return true;
            }
        }
        return false;
    }

    /** Releases every slice: for reads that will not be answered. */
    void release() {
        partitions.forEach(PartitionRead::release);
    }
}
