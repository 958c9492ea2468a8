package io.tributary.protocol.record;

/**
 * The codec a record batch's records are compressed with: the low three bits of the batch attributes.
 * Ids and names are Kafka's ({@code compression.type} values), so configs and wire bytes carry over.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    /** Attribute bits 0-2. */
    public static final int ATTRIBUTE_MASK = 0x07;

    public final int id;
    public final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** @throws InvalidRecordException for ids 5-7, which no Kafka version defines */
    public static CompressionType forId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> GZIP;
            case 2 -> SNAPPY;
            case 3 -> LZ4;
            case 4 -> ZSTD;
            default -> throw new InvalidRecordException("Unknown compression type id " + id + " (known: 0-4)");
        };
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static CompressionType forName(String name) {
        for (CompressionType t : values()) {
            if (t.configName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown compression type '" + name + "' (known: none, gzip, snappy, lz4, zstd)");
    }
}
