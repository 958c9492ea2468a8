package io.tributary.clients.network;

import io.tributary.protocol.message.wire.ExternalRecords;

import java.nio.ByteBuffer;

/**
 * Record batches held in a buffer, to be set on a request's records field
 * ({@code partition.set(PartitionProduceData.RECORDS, new BufferedRecords(batch))}) so the network client
 * writes them to the socket straight from {@code buffer} (a gathering write) instead of copying them into
 * the request frame. The bytes from position to limit are sent; the buffer must not change until the
 * request's future completes.
 */
public final class BufferedRecords implements ExternalRecords {
    private final ByteBuffer buffer;

    public BufferedRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A view from position to limit; the caller's buffer is not moved. */
    ByteBuffer view() {
        return buffer.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }
}
