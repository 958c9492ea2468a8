package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Snappy in snappy-java's stream format ({@code SnappyOutputStream}), which is what Kafka writes; not the
 * framing format of the snappy project.
 *
 * <p>Layout (integers big-endian):
 * <pre>
 *  0  magic               8 bytes  82 'S' 'N' 'A' 'P' 'P' 'Y' 00
 *  8  version             int32    1
 * 12  compatible version  int32    1
 * 16  chunks, each:       int32 compressed length n, then n bytes of one raw snappy block
 *                         (whose own varint preamble gives its decompressed length)
 * </pre>
 * The writer cuts the input into 32 KiB pieces, one chunk each, as {@code SnappyOutputStream}'s default block
 * size does, so output is byte-identical to Kafka's. The reader accepts what {@code SnappyInputStream} accepts:
 * a repeated stream header where a chunk length is expected (concatenated streams), and input without the header,
 * read as one raw snappy block.
 *
 * <p>Unlike {@code SnappyInputStream}, the reader checks each chunk's declared length against the input and
 * its declared decompressed length against the limit before allocating for either.
 */
final class SnappyCodec implements Codec {
    static final SnappyCodec INSTANCE = new SnappyCodec();

    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    static final int VERSION = 1;
    static final int MIN_COMPATIBLE_VERSION = 1;
    static final int HEADER_SIZE = MAGIC.length + 8;
    /** {@code SnappyOutputStream.DEFAULT_BLOCK_SIZE}. */
    static final int BLOCK_SIZE = 32 * 1024;

    private SnappyCodec() {
    }

    @Override
    public CompressionType type() {
        return CompressionType.SNAPPY;
    }

    @Override
    public void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException {
        ByteRange input = ByteRange.of(uncompressed);
        byte[] header = new byte[HEADER_SIZE];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        putInt(header, MAGIC.length, VERSION);
        putInt(header, MAGIC.length + 4, MIN_COMPATIBLE_VERSION);
        out.write(header);

        byte[] chunk = new byte[4 + Snappy.maxCompressedLength(Math.min(BLOCK_SIZE, input.length()))];
        for (int offset = input.offset(); offset < input.end(); offset += BLOCK_SIZE) {
            int length = Math.min(BLOCK_SIZE, input.end() - offset);
            int compressedLength = Snappy.compress(input.array(), offset, length, chunk, 4);
            putInt(chunk, 0, compressedLength);
            out.write(chunk, 0, 4 + compressedLength);
        }
    }

    @Override
    public void decompress(ByteBuffer compressed, DecompressedBytes into) {
        ByteRange input = ByteRange.of(compressed);
        byte[] in = input.array();
        int end = input.end();
        if (!isStreamHeader(in, input.offset(), end)) {
            // SnappyInputStream's fallback: the whole input is one raw block, as Snappy.compress writes it.
            uncompressChunk(in, input.offset(), input.length(), into, "raw block", 0);
            return;
        }
        checkVersion(in, input.offset());
        int position = input.offset() + HEADER_SIZE;
        int chunkIndex = 0;
        while (position < end) {
            if (end - position < 4) {
                throw new CorruptRecordException("snappy chunk " + chunkIndex + " length is cut off: "
                    + (end - position) + " bytes remain, a length takes 4");
            }
            if (isStreamHeader(in, position, end)) {
                checkVersion(in, position);
                position += HEADER_SIZE;
                continue;
            }
            int chunkLength = getInt(in, position);
            position += 4;
            if (chunkLength < 0 || chunkLength > end - position) {
                throw new CorruptRecordException("snappy chunk " + chunkIndex + " claims " + chunkLength
                    + " compressed bytes, but " + (end - position) + " remain in the stream");
            }
            uncompressChunk(in, position, chunkLength, into, "chunk", chunkIndex);
            position += chunkLength;
            chunkIndex++;
        }
    }

    @Override
    public DecompressingStream openStream(ByteBuffer compressed, int limit) {
        ByteRange input = ByteRange.of(compressed);
        return new ChunkStream(input.array(), input.offset(), input.end(), limit);
    }

    /**
     * The stream decompressed one chunk at a time into a per-thread scratch array, with every check
     * {@link #decompress} makes; a chunk's declared length is checked against the bytes the limit still allows
     * before anything is allocated for it.
     */
    static final class ChunkStream extends DecompressingStream {
        private static final ThreadLocal<byte[]> CHUNK = new ThreadLocal<>();

        private final byte[] in;
        private final int start;
        private final int end;
        private int position = -1;
        private boolean raw;
        private int chunkIndex;
        private byte[] chunk;
        private int chunkPosition;
        private int chunkLimit;

        ChunkStream(byte[] in, int start, int end, int limit) {
            super(CompressionType.SNAPPY, limit);
            this.in = in;
            this.start = start;
            this.end = end;
        }

        @Override
        int readDecompressed(byte[] into, int offset, int length) {
            if (position < 0) {
                if (isStreamHeader(in, start, end)) {
                    checkVersion(in, start);
                    position = start + HEADER_SIZE;
                } else {
                    // SnappyInputStream's fallback: the whole input is one raw block.
                    raw = true;
                    position = start;
                }
            }
            while (chunkPosition == chunkLimit) {
                if (!nextChunk()) {
                    return -1;
                }
            }
            int count = Math.min(length, chunkLimit - chunkPosition);
            System.arraycopy(chunk, chunkPosition, into, offset, count);
            chunkPosition += count;
            return count;
        }

        private boolean nextChunk() {
            if (raw) {
                if (position == end) {
                    return false;
                }
                int length = end - position;
                uncompress(position, length, "raw block", 0);
                position = end;
                return true;
            }
            while (true) {
                if (position >= end) {
                    return false;
                }
                if (end - position < 4) {
                    throw new CorruptRecordException("snappy chunk " + chunkIndex + " length is cut off: "
                        + (end - position) + " bytes remain, a length takes 4");
                }
                if (!isStreamHeader(in, position, end)) {
                    break;
                }
                checkVersion(in, position);
                position += HEADER_SIZE;
            }
            int chunkLength = getInt(in, position);
            position += 4;
            if (chunkLength < 0 || chunkLength > end - position) {
                throw new CorruptRecordException("snappy chunk " + chunkIndex + " claims " + chunkLength
                    + " compressed bytes, but " + (end - position) + " remain in the stream");
            }
            uncompress(position, chunkLength, "chunk", chunkIndex);
            position += chunkLength;
            chunkIndex++;
            return true;
        }

        private void uncompress(int offset, int length, String part, int index) {
            int declared;
            try {
                declared = Snappy.uncompressedLength(in, offset, length);
            } catch (IOException e) {
                throw new CorruptRecordException("snappy " + part + " " + index + " of " + length
                    + " bytes has no valid length preamble: " + e.getMessage());
            }
            if (declared < 0 || declared > remainingBudget()) {
                throw new DecompressionLimitExceededException(CompressionType.SNAPPY, limit(), produced(),
                    Integer.toUnsignedLong(declared), part + " " + index);
            }
            chunk = scratch(CHUNK, Math.max(declared, 1));
            int actual;
            try {
                actual = Snappy.uncompress(in, offset, length, chunk, 0);
            } catch (IOException e) {
                throw new CorruptRecordException("snappy " + part + " " + index + " of " + length
                    + " bytes does not decompress: " + e.getMessage());
            }
            if (actual != declared) {
                throw new CorruptRecordException("snappy " + part + " " + index + " declares " + declared
                    + " decompressed bytes but holds " + actual);
            }
            chunkPosition = 0;
            chunkLimit = actual;
        }

        @Override
        public void close() {
            chunk = null;
        }
    }

    private static void uncompressChunk(byte[] in, int offset, int length, DecompressedBytes into, String part, int index) {
        int declared;
        try {
            declared = Snappy.uncompressedLength(in, offset, length);
        } catch (IOException e) {
            throw new CorruptRecordException("snappy " + part + " " + index + " of " + length + " bytes has no valid length preamble: "
                + e.getMessage());
        }
        if (declared < 0) {
            // The preamble is a uint32; snappy-java returns lengths of 2 GiB and more as negative ints.
            throw new DecompressionLimitExceededException(CompressionType.SNAPPY, into.limit(), into.size(),
                Integer.toUnsignedLong(declared), part + " " + index);
        }
        into.reserve(declared, part, index);
        int actual;
        try {
            actual = Snappy.uncompress(in, offset, length, into.array(), into.size());
        } catch (IOException e) {
            throw new CorruptRecordException("snappy " + part + " " + index + " of " + length + " bytes does not decompress: "
                + e.getMessage());
        }
        if (actual != declared) {
            throw new CorruptRecordException("snappy " + part + " " + index + " declares " + declared
                + " decompressed bytes but holds " + actual);
        }
        into.advance(actual);
    }

    private static boolean isStreamHeader(byte[] in, int offset, int end) {
        if (end - offset < HEADER_SIZE) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in[offset + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkVersion(byte[] in, int headerOffset) {
        int version = getInt(in, headerOffset + MAGIC.length);
        if (version < MIN_COMPATIBLE_VERSION) {
            throw new CorruptRecordException("snappy stream version " + version + " is older than the oldest readable, "
                + MIN_COMPATIBLE_VERSION);
        }
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    private static int getInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
            | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }
}
