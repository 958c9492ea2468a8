package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * LZ4 in the LZ4 frame format (v1.5.1), the subset Kafka's {@code Lz4BlockOutputStream} writes and its
 * {@code Lz4BlockInputStream} reads.
 *
 * <p>Layout (integers little-endian):
 * <pre>
 *  0  magic        int32   0x184D2204
 *  4  FLG          int8    bits 7-6 version (01), 5 block independence (must be 1), 4 block checksum,
 *                          3 content size present, 2 content checksum, 1-0 reserved (0; no dictionary ids)
 *  5  BD           int8    bits 6-4 max block size code 4..7 (64 KiB, 256 KiB, 1 MiB, 4 MiB), others 0
 *     content size int64   only if FLG bit 3; skipped
 *     HC           int8    (XXH32(FLG .. end of content size, seed 0) >> 8) & 0xFF
 *     blocks, each: int32 size (bit 31 set: stored uncompressed), size bytes,
 *                   then int32 XXH32 of those bytes if FLG bit 4
 *     end mark     int32   0
 *     checksum     int32   XXH32 of all the content, only if FLG bit 2
 * </pre>
 * Kafka writes FLG 0x60 and BD 0x40: 64 KiB independent blocks, no checksums but the header's, no content size.
 * A block that does not shrink is stored raw. Level 9 (the default) uses lz4's fast compressor and other
 * levels LZ4 HC, as Kafka does, so output is byte-identical to Kafka's.
 *
 * <p>The header checksum covers the descriptor only (FLG through content size), as the frame spec says. Kafka
 * clients before 0.10 hashed the magic as well; Kafka accepts that only for magic 0 and 1 batches, and so
 * this reader, which only sees v2 batches, rejects it. Bytes after the end mark (and content checksum) are
 * ignored, as Kafka ignores them.
 */
final class Lz4FrameCodec implements Codec {
    static final Lz4FrameCodec INSTANCE = new Lz4FrameCodec();

    static final int MAGIC = 0x184D2204;
    static final int FLG_VERSION_MASK = 0xC0;
    static final int FLG_VERSION_1 = 0x40;
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    static final int FLG_CONTENT_SIZE = 0x08;
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    static final int FLG_RESERVED = 0x03;
    static final int BD_BLOCK_SIZE_MASK = 0x70;
    static final int BD_RESERVED = 0x8F;
    /** Block size code 4: 64 KiB, what Kafka writes. */
    static final int BLOCK_SIZE_CODE_64KB = 4;
    static final int BLOCK_SIZE = 64 * 1024;
    static final int UNCOMPRESSED_BLOCK_FLAG = 0x80000000;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();
    private static final XXHashFactory XXHASH = XXHashFactory.fastestInstance();
    private static final XXHash32 CHECKSUM = XXHASH.hash32();

    private Lz4FrameCodec() {
    }

    @Override
    public CompressionType type() {
        return CompressionType.LZ4;
    }

    @Override
    public void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException {
        ByteRange input = ByteRange.of(uncompressed);
        LZ4Compressor compressor = level == Compression.LZ4_DEFAULT_LEVEL ? LZ4.fastCompressor() : LZ4.highCompressor(level);

        byte[] header = new byte[7];
        putIntLE(header, 0, MAGIC);
        header[4] = (byte) (FLG_VERSION_1 | FLG_BLOCK_INDEPENDENCE);
        header[5] = (byte) (BLOCK_SIZE_CODE_64KB << 4);
        header[6] = headerChecksum(header, 4, 2);
        out.write(header);

        byte[] block = new byte[4 + compressor.maxCompressedLength(BLOCK_SIZE)];
        for (int offset = input.offset(); offset < input.end(); offset += BLOCK_SIZE) {
            int length = Math.min(BLOCK_SIZE, input.end() - offset);
            int compressedLength = compressor.compress(input.array(), offset, length, block, 4);
            if (compressedLength >= length) {
                putIntLE(block, 0, length | UNCOMPRESSED_BLOCK_FLAG);
                out.write(block, 0, 4);
                out.write(input.array(), offset, length);
            } else {
                putIntLE(block, 0, compressedLength);
                out.write(block, 0, 4 + compressedLength);
            }
        }
        byte[] endMark = new byte[4];
        out.write(endMark);
    }

    @Override
    public void decompress(ByteBuffer compressed, DecompressedBytes into) {
        ByteRange input = ByteRange.of(compressed);
        byte[] in = input.array();
        int end = input.end();
        FrameHeader header = FrameHeader.parse(in, input.offset(), end);
        int flg = header.flg();
        int maxBlockSize = header.maxBlockSize();
        int position = header.blocksStart();

        boolean blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        StreamingXXHash32 contentHash = (flg & FLG_CONTENT_CHECKSUM) != 0 ? XXHASH.newStreamingHash32(0) : null;
        int blockIndex = 0;
        while (true) {
            if (end - position < 4) {
                throw new CorruptRecordException("lz4 frame ends after " + blockIndex
                    + " blocks without its end mark");
            }
            int word = getIntLE(in, position);
            position += 4;
            if (word == 0) {
                break;
            }
            boolean stored = (word & UNCOMPRESSED_BLOCK_FLAG) != 0;
            int blockSize = word & ~UNCOMPRESSED_BLOCK_FLAG;
            if (blockSize > maxBlockSize) {
                throw new CorruptRecordException("lz4 block " + blockIndex + " claims " + blockSize
                    + " bytes, more than the frame's max block size " + maxBlockSize);
            }
            int trailer = blockChecksum ? 4 : 0;
            if (blockSize + trailer > end - position) {
                throw new CorruptRecordException("lz4 block " + blockIndex + " claims " + blockSize + " bytes"
                    + (blockChecksum ? " and a checksum" : "") + ", but " + (end - position) + " remain in the frame");
            }
            if (blockChecksum) {
                int expected = CHECKSUM.hash(in, position, blockSize, 0);
                int actual = getIntLE(in, position + blockSize);
                if (expected != actual) {
                    throw new CorruptRecordException("lz4 block " + blockIndex + " checksum is 0x"
                        + Integer.toHexString(actual) + " but the block hashes to 0x" + Integer.toHexString(expected));
                }
            }
            int contentStart = into.size();
            if (stored) {
                into.write(in, position, blockSize);
            } else {
                decompressBlock(in, position, blockSize, maxBlockSize, into, blockIndex);
            }
            if (contentHash != null) {
                contentHash.update(into.array(), contentStart, into.size() - contentStart);
            }
            position += blockSize + trailer;
            blockIndex++;
        }
        if (contentHash != null) {
            if (end - position < 4) {
                throw new CorruptRecordException("lz4 frame declares a content checksum but ends after its end mark");
            }
            int expected = contentHash.getValue();
            int actual = getIntLE(in, position);
            if (expected != actual) {
                throw new CorruptRecordException("lz4 frame content checksum is 0x" + Integer.toHexString(actual)
                    + " but the content hashes to 0x" + Integer.toHexString(expected));
            }
        }
    }

    /** A frame's FLG byte, its max block size, and where its first block starts. */
    /** Magic (4), FLG and BD (2), content size (8, optional), header checksum (1). */
    static final int MAX_HEADER_BYTES = 15;

    record FrameHeader(int flg, int maxBlockSize, int blocksStart) {
        /** Checks the frame header at {@code position} (magic, FLG, BD, header checksum). */
        static FrameHeader parse(byte[] in, int position, int end) {
            if ((end - position) < 7) {
                throw new CorruptRecordException("lz4 frame of " + (end - position) + " bytes is shorter than the 7-byte minimum header");
            }
            int magic = getIntLE(in, position);
            if (magic != MAGIC) {
                throw new CorruptRecordException("lz4 frame magic is 0x" + Integer.toHexString(magic) + ", expected 0x"
                    + Integer.toHexString(MAGIC));
            }
            int descriptorStart = position + 4;
            int flg = in[descriptorStart] & 0xFF;
            int bd = in[descriptorStart + 1] & 0xFF;
            if ((flg & FLG_VERSION_MASK) != FLG_VERSION_1) {
                throw new CorruptRecordException("lz4 frame version bits are " + ((flg & FLG_VERSION_MASK) >>> 6) + ", expected 1");
            }
            if ((flg & FLG_RESERVED) != 0) {
                throw new CorruptRecordException("lz4 frame FLG 0x" + Integer.toHexString(flg)
                    + " sets reserved bits 0-1 (dictionary ids are not supported)");
            }
            if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
                throw new CorruptRecordException("lz4 frame FLG 0x" + Integer.toHexString(flg)
                    + " declares dependent blocks, which Kafka does not support");
            }
            int blockSizeCode = (bd & BD_BLOCK_SIZE_MASK) >>> 4;
            if ((bd & BD_RESERVED) != 0 || blockSizeCode < 4) {
                throw new CorruptRecordException("lz4 frame BD 0x" + Integer.toHexString(bd)
                    + " is invalid: block size code " + blockSizeCode + " (expected 4-7), reserved bits must be 0");
            }
            int maxBlockSize = 1 << (2 * blockSizeCode + 8);
            int descriptorLength = (flg & FLG_CONTENT_SIZE) != 0 ? 10 : 2;
            if (end - descriptorStart < descriptorLength + 1) {
                throw new CorruptRecordException("lz4 frame header is cut off: it needs " + (4 + descriptorLength + 1)
                    + " bytes, the frame has " + (end - position));
            }
            byte expectedHc = headerChecksum(in, descriptorStart, descriptorLength);
            byte hc = in[descriptorStart + descriptorLength];
            if (hc != expectedHc) {
                throw new CorruptRecordException("lz4 frame header checksum is 0x" + Integer.toHexString(hc & 0xFF)
                    + " but the descriptor hashes to 0x" + Integer.toHexString(expectedHc & 0xFF));
            }
            return new FrameHeader(flg, maxBlockSize, descriptorStart + descriptorLength + 1);
        }
    }

    @Override
    public DecompressingStream openStream(ByteBuffer compressed, int limit) {
        return new FrameStream(compressed.slice().order(ByteOrder.LITTLE_ENDIAN), limit);
    }

    /**
     * One frame decompressed a block at a time into a per-thread scratch array of the frame's block size,
     * with every check {@link #decompress} makes, in the same order.
     *
     * <p>Design note: the frame is read where it lies (a produce request's direct buffer, usually), block by block,
     * through lz4-java's ByteBuffer entry points. Copying the whole batch into a new heap array first showed up as
     * 40% of the broker's CPU samples in a JFR profile of 1 KiB lz4 produce at full speed. Only the frame header, at
     * most {@value #MAX_HEADER_BYTES} bytes, is copied, to be parsed by {@link FrameHeader#parse}.
     */
    static final class FrameStream extends DecompressingStream {
        private static final ThreadLocal<byte[]> BLOCK = new ThreadLocal<>();

        /** The frame, little-endian, from 0 to its limit; read with absolute gets only. */
        private final ByteBuffer in;
        private final int end;
        private int position;
        private FrameHeader header;
        private StreamingXXHash32 contentHash;
        private int blockIndex;
        private byte[] block;
        private int blockPosition;
        private int blockLimit;
        private boolean ended;

        FrameStream(ByteBuffer in, int limit) {
            super(CompressionType.LZ4, limit);
            this.in = in;
            this.end = in.limit();
            this.position = 0;
        }

        @Override
        int readDecompressed(byte[] into, int offset, int length) {
            if (header == null) {
                byte[] head = new byte[Math.min(end, MAX_HEADER_BYTES)];
                in.get(0, head);
                header = FrameHeader.parse(head, 0, head.length);
                position = header.blocksStart();
                contentHash = (header.flg() & FLG_CONTENT_CHECKSUM) != 0 ? XXHASH.newStreamingHash32(0) : null;
            }
            while (blockPosition == blockLimit) {
                if (ended || !nextBlock()) {
                    return -1;
                }
            }
            int count = Math.min(length, blockLimit - blockPosition);
            System.arraycopy(block, blockPosition, into, offset, count);
            blockPosition += count;
            return count;
        }

        /** Decodes the next block into {@link #block}; false at the end mark (after checking the content checksum). */
        private boolean nextBlock() {
            if (end - position < 4) {
                throw new CorruptRecordException("lz4 frame ends after " + blockIndex + " blocks without its end mark");
            }
            int word = in.getInt(position);
            position += 4;
            if (word == 0) {
                ended = true;
                checkContent();
                return false;
            }
            boolean stored = (word & UNCOMPRESSED_BLOCK_FLAG) != 0;
            int blockSize = word & ~UNCOMPRESSED_BLOCK_FLAG;
            int maxBlockSize = header.maxBlockSize();
            if (blockSize > maxBlockSize) {
                throw new CorruptRecordException("lz4 block " + blockIndex + " claims " + blockSize
                    + " bytes, more than the frame's max block size " + maxBlockSize);
            }
            boolean blockChecksum = (header.flg() & FLG_BLOCK_CHECKSUM) != 0;
            int trailer = blockChecksum ? 4 : 0;
            if (blockSize + trailer > end - position) {
                throw new CorruptRecordException("lz4 block " + blockIndex + " claims " + blockSize + " bytes"
                    + (blockChecksum ? " and a checksum" : "") + ", but " + (end - position) + " remain in the frame");
            }
            if (blockChecksum) {
                int expected = CHECKSUM.hash(in, position, blockSize, 0);
                int actual = in.getInt(position + blockSize);
                if (expected != actual) {
                    throw new CorruptRecordException("lz4 block " + blockIndex + " checksum is 0x"
                        + Integer.toHexString(actual) + " but the block hashes to 0x" + Integer.toHexString(expected));
                }
            }
            block = scratch(BLOCK, maxBlockSize);
            int decompressed;
            if (stored) {
                in.get(position, block, 0, blockSize);
                decompressed = blockSize;
            } else {
                try {
                    decompressed = DECOMPRESSOR.decompress(in, position, blockSize, ByteBuffer.wrap(block), 0, maxBlockSize);
                } catch (LZ4Exception e) {
                    throw malformedBlock(blockIndex, blockSize, e);
                }
            }
            if (contentHash != null) {
                contentHash.update(block, 0, decompressed);
            }
            blockPosition = 0;
            blockLimit = decompressed;
            position += blockSize + trailer;
            blockIndex++;
            return true;
        }

        private void checkContent() {
            if (contentHash == null) {
                return;
            }
            if (end - position < 4) {
                throw new CorruptRecordException("lz4 frame declares a content checksum but ends after its end mark");
            }
            int expected = contentHash.getValue();
            int actual = in.getInt(position);
            if (expected != actual) {
                throw new CorruptRecordException("lz4 frame content checksum is 0x" + Integer.toHexString(actual)
                    + " but the content hashes to 0x" + Integer.toHexString(expected));
            }
        }

        @Override
        public void close() {
            if (contentHash != null) {
                contentHash.close();
                contentHash = null;
            }
        }
    }

    /**
     * The sum over the frame's blocks of the block size for a stored block and the frame's max block size (64 KiB
     * in Kafka's frames) for a compressed one, from the block headers only: a Kafka batch of two full blocks is
     * bounded by exactly 128 KiB. -1 if the header or a block header does not parse.
     */
    @Override
    public long decompressedBound(ByteBuffer compressed) {
        ByteRange input = ByteRange.of(compressed);
        byte[] in = input.array();
        int end = input.end();
        int position = input.offset();
        if (input.length() < 7 || getIntLE(in, position) != MAGIC) {
            return -1;
        }
        int flg = in[position + 4] & 0xFF;
        int blockSizeCode = (in[position + 5] & BD_BLOCK_SIZE_MASK) >>> 4;
        if (blockSizeCode < 4) {
            return -1;
        }
        long maxBlockSize = 1L << (2 * blockSizeCode + 8);
        int trailer = (flg & FLG_BLOCK_CHECKSUM) != 0 ? 4 : 0;
        position += 4 + ((flg & FLG_CONTENT_SIZE) != 0 ? 10 : 2) + 1;
        long bound = 0;
        while (true) {
            if (end - position < 4) {
                return -1;
            }
            int word = getIntLE(in, position);
            position += 4;
            if (word == 0) {
                return bound;
            }
            int blockSize = word & ~UNCOMPRESSED_BLOCK_FLAG;
            bound += (word & UNCOMPRESSED_BLOCK_FLAG) != 0 ? blockSize : maxBlockSize;
            if (blockSize + trailer > end - position) {
                return -1;
            }
            position += blockSize + trailer;
        }
    }

    /**
     * Decompresses one block straight into {@code into}, allowing at most what the limit leaves. When the
     * budget is smaller than a block and decompression fails, the block is tried again in a scratch array of
     * the block size to tell a block that is too big from one that is malformed.
     */
    private static void decompressBlock(byte[] in, int offset, int length, int maxBlockSize, DecompressedBytes into,
                                        int blockIndex) {
        int room = Math.min(maxBlockSize, into.remainingBudget());
        into.reserve(room, "block", blockIndex);
        try {
            int decompressed = DECOMPRESSOR.decompress(in, offset, length, into.array(), into.size(), room);
            into.advance(decompressed);
            return;
        } catch (LZ4Exception e) {
            if (room == maxBlockSize) {
                throw malformedBlock(blockIndex, length, e);
            }
        }
        byte[] scratch = new byte[maxBlockSize];
        try {
            DECOMPRESSOR.decompress(in, offset, length, scratch, 0, maxBlockSize);
        } catch (LZ4Exception e) {
            throw malformedBlock(blockIndex, length, e);
        }
        throw new DecompressionLimitExceededException(CompressionType.LZ4, into.limit());
    }

    private static CorruptRecordException malformedBlock(int blockIndex, int length, LZ4Exception e) {
        return new CorruptRecordException("lz4 block " + blockIndex + " of " + length + " bytes does not decompress: "
            + e.getMessage());
    }

    private static byte headerChecksum(byte[] bytes, int offset, int length) {
        return (byte) ((CHECKSUM.hash(bytes, offset, length, 0) >> 8) & 0xFF);
    }

    private static void putIntLE(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }

    private static int getIntLE(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8
            | (bytes[offset + 2] & 0xFF) << 16 | (bytes[offset + 3] & 0xFF) << 24;
    }
}
