package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link DecompressingStream} over a codec library's own streaming decoder (gzip: the JDK's
 * {@code GZIPInputStream}; zstd: zstd-jni's {@code ZstdInputStreamNoFinalizer}), opened on the first read so
 * that a header fault surfaces as a read fault like any other. Whatever the library throws while decoding is a
 * fault in the data: {@link CorruptRecordException}.
 */
final class LibraryStream extends DecompressingStream {
    /** Opens the library's decoder; may read and check the stream header. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private final int compressedSize;
    private InputStream in;
    private boolean closed;

    LibraryStream(CompressionType type, int limit, int compressedSize, Opener opener) {
        super(type, limit);
        this.opener = opener;
        this.compressedSize = compressedSize;
    }

    @Override
    int readDecompressed(byte[] into, int offset, int length) {
        try {
            if (in == null) {
                in = opener.open();
            }
            // InputStream.read may return 0 without being at the end; a decoder that keeps doing so is stuck.
            for (int attempt = 0; attempt < 1024; attempt++) {
                int read = in.read(into, offset, length);
                if (read != 0) {
                    return read;
                }
            }
            throw new CorruptRecordException(compressionType().configName + " stream of " + compressedSize
                + " bytes makes no progress after " + produced() + " decompressed bytes");
        } catch (IOException e) {
            throw malformed(e);
        } catch (InvalidRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            // zstd-jni's ZstdException and any other decoder failure: the bytes, not the broker, are at fault.
            throw malformed(e);
        }
    }

    private CorruptRecordException malformed(Exception e) {
        return new CorruptRecordException(compressionType().configName + " stream of " + compressedSize
            + " bytes is malformed after " + produced() + " decompressed bytes: " + e.getMessage());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                // Nothing was written; a decoder that fails to close has nothing left to lose.
            }
        }
    }
}
