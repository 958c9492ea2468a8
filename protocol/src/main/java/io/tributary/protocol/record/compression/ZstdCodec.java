package io.tributary.protocol.record.compression;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Zstandard (RFC 8878) through zstd-jni's streaming API, as Kafka writes and reads it.
 *
 * <p>Layout: one or more zstd frames: magic {@code 28 b5 2f fd} (little-endian 0xFD2FB528), a frame header,
 * blocks, the last of them empty, and no content checksum. Kafka streams records into the compressor without pledging a size, so its
 * frames carry no content size; this writer streams the same way so output is byte-identical. Reading accepts
 * what {@code ZstdInputStream} accepts, as Kafka does: concatenated and skippable frames; but not an empty
 * stream, which it would read as no bytes.
 *
 * <p>Memory: the decoder's window is native memory capped by zstd's default window limit (2^27 bytes) whatever
 * a frame header asks for; the decompressed bytes on the heap are capped by the reader's limit.
 */
final class ZstdCodec implements Codec {
    static final ZstdCodec INSTANCE = new ZstdCodec();

    private ZstdCodec() {
    }

    @Override
    public CompressionType type() {
        return CompressionType.ZSTD;
    }

    @Override
    public void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException {
        ByteRange input = ByteRange.of(uncompressed);
        try (ZstdOutputStreamNoFinalizer zstd =
                 new ZstdOutputStreamNoFinalizer(new NonClosingOutputStream(out), RecyclingBufferPool.INSTANCE, level)) {
            if (input.length() > 0) {
                // A zero-length write still starts a frame in zstd-jni; Kafka's buffered stream never makes one.
                zstd.write(input.array(), input.offset(), input.length());
            }
            // Kafka closes a BufferedOutputStream around the zstd stream, whose close flushes first: that ends
            // the data in a non-final block and the close adds an empty last block (3 bytes). Same here, so the
            // output is byte-identical whatever the input's chunking.
            zstd.flush();
        }
    }

    @Override
    public void decompress(ByteBuffer compressed, DecompressedBytes into) {
        ByteRange input = ByteRange.of(compressed);
        if (input.length() == 0) {
            // zstd-jni reads no frames as no bytes; every other codec, and every writer, has at least a header.
            throw new CorruptRecordException("zstd stream is empty: it holds no frame");
        }
        try (ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(
            new ByteArrayInputStream(input.array(), input.offset(), input.length()), RecyclingBufferPool.INSTANCE)) {
            into.readFully(zstd);
        } catch (IOException | ZstdException e) {
            throw new CorruptRecordException("zstd stream of " + input.length() + " bytes is malformed after "
                + into.size() + " decompressed bytes: " + e.getMessage());
        }
    }

    @Override
    public DecompressingStream openStream(ByteBuffer compressed, int limit) {
        ByteBuffer source = compressed.slice();
        if (!source.isDirect() && !source.hasArray()) {
            // A read-only heap view hides its array from zstd-jni, which takes direct or array-backed buffers only.
            ByteRange copy = ByteRange.of(compressed);
            source = ByteBuffer.wrap(copy.array(), copy.offset(), copy.length());
        }
        return new FrameStream(source, limit);
    }

    /**
     * Frames decompressed straight into the reader's array by a decompression context kept per thread and reset
     * for each stream, so a batch costs no native allocation (a new {@code ZstdInputStream} allocates and frees a
     * context and its buffers each time). Accepts what {@link #decompress} accepts, in the same way: concatenated
     * and skippable frames, not an empty stream; a stream that ends inside a frame is truncated.
     *
     * <p>Design note: the frames are read where they lie (a produce request's direct buffer, usually): zstd-jni's
     * {@code decompressByteBufferStream} takes a direct source with a heap target. Copying each batch into a new
     * heap array first cost an allocation and a copy of the whole compressed batch per append, the cost that was
     * 40% of the broker's CPU samples for lz4 before its stream read in place too.
     */
    static final class FrameStream extends DecompressingStream {
        private static final ThreadLocal<ZstdDecompressCtx> CONTEXT = ThreadLocal.withInitial(ZstdDecompressCtx::new);

        private final ByteBuffer source;
        private final int compressedSize;
        private ZstdDecompressCtx context;
        /** Whether the last frame the context worked on is complete (true before the first: nothing is pending). */
        private boolean frameComplete = true;

        FrameStream(ByteBuffer source, int limit) {
            super(CompressionType.ZSTD, limit);
            this.source = source;
            this.compressedSize = source.remaining();
        }

        @Override
        int readDecompressed(byte[] into, int offset, int length) {
            if (context == null) {
                if (!source.hasRemaining()) {
                    throw new CorruptRecordException("zstd stream is empty: it holds no frame");
                }
                context = CONTEXT.get();
                context.reset();
            }
            ByteBuffer target = ByteBuffer.wrap(into, offset, length);
            // Each round consumes input or produces output, so the input's size bounds the rounds.
            while (true) {
                if (!source.hasRemaining()) {
                    if (frameComplete) {
                        return -1;
                    }
                    throw new CorruptRecordException("zstd stream of " + compressedSize + " bytes is truncated: it ends inside a "
                        + "frame after " + produced() + " decompressed bytes");
                }
                int consumedBefore = source.position();
                try {
                    frameComplete = context.decompressByteBufferStream(target, source);
                } catch (RuntimeException e) {
                    throw new CorruptRecordException("zstd stream of " + compressedSize + " bytes is malformed after "
                        + produced() + " decompressed bytes: " + e.getMessage());
                }
                int read = target.position() - offset;
                if (read > 0) {
                    return read;
                }
                if (source.position() == consumedBefore && !frameComplete) {
                    throw new CorruptRecordException("zstd stream of " + compressedSize + " bytes makes no progress after "
                        + produced() + " decompressed bytes");
                }
            }
        }

        @Override
        public void close() {
            if (context != null) {
                context.reset();
                context = null;
            }
        }
    }
}
