package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.InvalidRecordException;

/**
 * The records of a compressed batch decompress to more bytes than the reader allows: a decompression bomb, or
 * a batch larger than this reader is configured for. Decompression stops at the limit, so memory use is bounded
 * by it whatever the batch claims.
 */
public class DecompressionLimitExceededException extends InvalidRecordException {
    private final CompressionType type;
    private final int limit;

    public DecompressionLimitExceededException(CompressionType type, int limit) {
        this(type, limit, type.configName + "-compressed records decompress to more than the limit of " + limit
            + " bytes per batch (max decompressed bytes)");
    }

    /** For a size the stream declares up front, before anything is allocated for it. */
    public DecompressionLimitExceededException(CompressionType type, int limit, long alreadyDecompressed,
                                               long declared, String what) {
        this(type, limit, type.configName + " " + what + " declares " + declared + " decompressed bytes, which with the "
            + alreadyDecompressed + " already decompressed exceeds the limit of " + limit
            + " bytes per batch (max decompressed bytes)");
    }

    private DecompressionLimitExceededException(CompressionType type, int limit, String message) {
        super(message);
        this.type = type;
        this.limit = limit;
    }

    public CompressionType compressionType() {
        return type;
    }

    /** The limit that was reached, in bytes. */
    public int limit() {
        return limit;
    }
}
