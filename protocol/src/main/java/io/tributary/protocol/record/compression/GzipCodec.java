package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * gzip (RFC 1952) through the JDK's zlib, as Kafka writes and reads it.
 *
 * <p>Layout: a 10-byte member header {@code 1f 8b 08 00 00000000 00 ff} (deflate, no flags, no mtime, no extra
 * flags, OS unknown: the JDK's fixed header), the raw deflate stream at the configured level, then CRC-32 and the uncompressed size
 * mod 2^32, both little-endian. Reading accepts what {@link GZIPInputStream} accepts, as Kafka does:
 * concatenated members, and trailing bytes after the last member that do not start another one.
 */
final class GzipCodec implements Codec {
    static final GzipCodec INSTANCE = new GzipCodec();

    /** Kafka's deflater output buffer. */
    private static final int DEFLATE_BUFFER_SIZE = 8 * 1024;
    /** Kafka's inflater input buffer. */
    private static final int INFLATE_BUFFER_SIZE = 8 * 1024;

    private GzipCodec() {
    }

    @Override
    public CompressionType type() {
        return CompressionType.GZIP;
    }

    @Override
    public void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException {
        ByteRange input = ByteRange.of(uncompressed);
        try (LevelledGzipOutputStream gzip = new LevelledGzipOutputStream(new NonClosingOutputStream(out), level)) {
            gzip.write(input.array(), input.offset(), input.length());
        }
    }

    @Override
    public void decompress(ByteBuffer compressed, DecompressedBytes into) {
        ByteRange input = ByteRange.of(compressed);
        try (GZIPInputStream gzip = new GZIPInputStream(
            new ByteArrayInputStream(input.array(), input.offset(), input.length()), INFLATE_BUFFER_SIZE)) {
            into.readFully(gzip);
        } catch (IOException e) {
            throw new CorruptRecordException("gzip stream of " + input.length() + " bytes is malformed after "
                + into.size() + " decompressed bytes: " + e.getMessage());
        }
    }

    @Override
    public DecompressingStream openStream(ByteBuffer compressed, int limit) {
        return new MemberStream(compressed.slice(), limit);
    }

    /**
     * The gzip members of one batch inflated where they lie (a produce request's direct buffer, usually) by an
     * {@link Inflater} kept per thread and reset for each stream, accepting and refusing exactly what
     * {@link GZIPInputStream} over the same bytes (Kafka's reader, and {@link #decompress}) accepts and refuses.
     *
     * <p>Format, RFC 1952, per member: magic {@code 1f 8b}, method 8, flags, mtime, xfl, os; then, by flag, an extra
     * field (little-endian length and bytes), a zero-terminated name, a zero-terminated comment, a header CRC-16;
     * the raw deflate data; CRC-32 and size mod 2^32 of the member's output, little-endian. After a member's trailer,
     * {@code GZIPInputStream} looks for another member only if its source has bytes it has not yet buffered or more
     * than 26 buffered bytes are left, and ends quietly if what follows is not a member header. It buffers its source
     * {@value #INFLATE_BUFFER_SIZE} bytes at a time, so whether trailing bytes are examined depends on where those
     * reads fell; this stream hands the inflater the same {@value #INFLATE_BUFFER_SIZE}-byte pieces to decide alike.
     *
     * <p>Design note: a {@code GZIPInputStream} needs a heap {@code InputStream}, so a direct buffer was copied whole
     * per batch, and each stream allocated an {@code Inflater} (native zlib state, freed only by a cleaner) and its
     * buffers. Here nothing is allocated per batch but the small views handed to the inflater.
     */
    static final class MemberStream extends DecompressingStream {
        private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
        private static final int FHCRC = 2;
        private static final int FEXTRA = 4;
        private static final int FNAME = 8;
        private static final int FCOMMENT = 16;
        /** Inflate rounds in a row that may produce nothing before the stream counts as stuck. */
        private static final int MAX_IDLE_ROUNDS = 1024;

        /** The members, from 0 to their limit; read with absolute gets only. */
        private final ByteBuffer source;
        private final int end;
        private final CRC32 crc = new CRC32();
        private Inflater inflater;
        /** Bytes of the source taken so far: headers read directly plus the pieces handed to the inflater. */
        private int taken;
        private boolean ended;

        MemberStream(ByteBuffer source, int limit) {
            super(CompressionType.GZIP, limit);
            this.source = source;
            this.end = source.limit();
        }

        @Override
        int readDecompressed(byte[] into, int offset, int length) {
            if (ended) {
                return -1;
            }
            if (inflater == null) {
                try {
                    taken = headerLength(0);
                } catch (HeaderFault fault) {
                    throw malformed(fault.getMessage());
                }
                crc.reset();
                inflater = INFLATER.get();
                inflater.reset();
            }
            try {
                for (int idle = 0; idle < MAX_IDLE_ROUNDS; idle++) {
                    int n = inflater.inflate(into, offset, length);
                    if (n > 0) {
                        crc.update(into, offset, n);
                        return n;
                    }
                    if (inflater.finished() || inflater.needsDictionary()) {
                        if (lastMember()) {
                            ended = true;
                            return -1;
                        }
                        idle = 0;
                    } else if (inflater.needsInput()) {
                        if (taken >= end) {
                            throw malformed("Unexpected end of ZLIB input stream");
                        }
                        int piece = Math.min(INFLATE_BUFFER_SIZE, end - taken);
                        inflater.setInput(source.slice(taken, piece));
                        taken += piece;
                        idle = 0;
                    }
                }
            } catch (DataFormatException e) {
                throw malformed(e.getMessage() != null ? e.getMessage() : "Invalid ZLIB data format");
            }
            throw new CorruptRecordException("gzip stream of " + end + " bytes makes no progress after " + produced()
                + " decompressed bytes");
        }

        /**
         * At the end of a member's deflate data: checks its trailer, then starts the next member if
         * {@code GZIPInputStream} would. True when the stream ends here.
         */
        private boolean lastMember() {
            int buffered = inflater.getRemaining();
            int at = taken - buffered;
            if (end - at < 4) {
                throw malformed("Unexpected end of the GZIP trailer");
            }
            if (uint32(at) != crc.getValue()) {
                throw malformed("Corrupt GZIP trailer");
            }
            if (end - at < 8) {
                throw malformed("Unexpected end of the GZIP trailer");
            }
            if (uint32(at + 4) != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
                throw malformed("Corrupt GZIP trailer");
            }
            taken = Math.max(taken, at + 8);
            if (end - taken <= 0 && buffered <= 26) {
                return true;
            }
            int header;
            try {
                header = headerLength(at + 8);
            } catch (HeaderFault notAMember) {
                return true; // GZIPInputStream ignores what follows the last member when it is not a member header
            }
            int next = at + 8 + header;
            taken = Math.max(taken, next);
            inflater.reset();
            crc.reset();
            if (buffered > 8 + header) {
                inflater.setInput(source.slice(next, buffered - 8 - header));
            }
            return false;
        }

        /** The length of the member header at {@code at}, checked as {@code GZIPInputStream.readHeader} checks it. */
        private int headerLength(int at) throws HeaderFault {
            if (ushort(at) != 0x8B1F) {
                throw new HeaderFault("Not in GZIP format");
            }
            if (ubyte(at + 2) != 8) {
                throw new HeaderFault("Unsupported compression method");
            }
            int flags = ubyte(at + 3);
            int position = at + 10;
            if (position > end) {
                throw new HeaderFault("Unexpected end of the GZIP header");
            }
            if ((flags & FEXTRA) != 0) {
                position += 2 + ushort(position);
                if (position > end) {
                    throw new HeaderFault("Unexpected end of the GZIP header");
                }
            }
            if ((flags & FNAME) != 0) {
                while (ubyte(position++) != 0) {
                    // the file name, up to its terminating zero
                }
            }
            if ((flags & FCOMMENT) != 0) {
                while (ubyte(position++) != 0) {
                    // the comment, up to its terminating zero
                }
            }
            if ((flags & FHCRC) != 0) {
                crc.reset();
                crc.update(source.slice(at, position - at));
                if (ushort(position) != ((int) crc.getValue() & 0xFFFF)) {
                    throw new HeaderFault("Corrupt GZIP header");
                }
                position += 2;
            }
            return position - at;
        }

        private int ubyte(int at) throws HeaderFault {
            if (at >= end) {
                throw new HeaderFault("Unexpected end of the GZIP header");
            }
            return source.get(at) & 0xFF;
        }

        private int ushort(int at) throws HeaderFault {
            return ubyte(at) | ubyte(at + 1) << 8;
        }

        private long uint32(int at) {
            return (source.get(at) & 0xFFL) | (source.get(at + 1) & 0xFFL) << 8 | (source.get(at + 2) & 0xFFL) << 16
                | (source.get(at + 3) & 0xFFL) << 24;
        }

        private CorruptRecordException malformed(String reason) {
            return new CorruptRecordException("gzip stream of " + end + " bytes is malformed after " + produced()
                + " decompressed bytes: " + reason);
        }

        @Override
        public void close() {
            if (inflater != null) {
                inflater.reset(); // drops its reference to the source
                inflater = null;
            }
            ended = true;
        }

        /** A member header that does not parse: refused first, ignored after a complete member. */
        private static final class HeaderFault extends Exception {
            HeaderFault(String message) {
                super(message, null, false, false);
            }
        }
    }

    /** {@link GZIPOutputStream} with a level: the deflater is only reachable from a subclass. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, DEFLATE_BUFFER_SIZE);
            def.setLevel(level);
        }
    }
}
