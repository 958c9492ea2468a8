package io.tributary.server.network;

import io.tributary.log.LogSlice;
import io.tributary.protocol.message.wire.ExternalRecords;

/** A records field whose bytes are a log slice, sent from the segment file with sendfile. */
public record LogSliceRecords(LogSlice slice) implements ExternalRecords {
    @Override
    public int sizeInBytes() {
        return slice.length();
    }
}
