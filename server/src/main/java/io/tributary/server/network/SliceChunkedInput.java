package io.tributary.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.tributary.log.LogSlice;

import java.io.IOException;

/**
 * A log slice read in chunks, for connections whose bytes are encrypted: the TLS handler must see the record bytes,
 * so they are read from the segment file (positional reads, the shared channel's position untouched) into buffers
 * of one TLS record's plaintext at a time, as the chunked writer asks for them, instead of going out with sendfile.
 * Only as many chunks are in memory as the socket is slow to take.
 *
 * <p>Closing releases the slice (never closes the segment's file, which other readers and the writer share); the
 * chunked writer closes it after the last chunk, or when the connection goes away first.
 */
final class SliceChunkedInput implements ChunkedInput<ByteBuf> {
    /** The largest plaintext a TLS record carries (2^14), so each chunk becomes one record. */
    static final int CHUNK_BYTES = 16 * 1024;

    private final LogSlice slice;
    private int sent;
    private boolean released;

    SliceChunkedInput(LogSlice slice) {
        this.slice = slice;
    }

    @Override
    public boolean isEndOfInput() {
        return sent >= slice.length();
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            slice.release();
        }
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int size = Math.min(CHUNK_BYTES, slice.length() - sent);
        ByteBuf chunk = allocator.directBuffer(size, size);
        try {
            long at = slice.position() + sent;
            while (chunk.writerIndex() < size) {
                int read = chunk.writeBytes(slice.channel(), at + chunk.writerIndex(), size - chunk.writerIndex());
                if (read < 0) {
                    throw new IOException("Segment file ended inside " + slice + " at position " + (at + chunk.writerIndex()));
                }
            }
            sent += size;
            ByteBuf ready = chunk;
            chunk = null;
            return ready;
        } finally {
            if (chunk != null) {
                chunk.release();
            }
        }
    }

    @Override
    public long length() {
        return slice.length();
    }

    @Override
    public long progress() {
        return sent;
    }
}
