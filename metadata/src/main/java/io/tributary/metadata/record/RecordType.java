package io.tributary.metadata.record;

/**
 * The type byte of each record in the binary encoding, and the newest version of it this code writes and reads.
 * Codes are never reused; a node that meets a code or version it does not know refuses the record
 * ({@link UnknownRecordException}) rather than skipping it: skipping would make its image differ from the others'.
 * PARTITION and PARTITION_CHANGE v1 added the reassignment's adding and removing replicas; CLUSTER_ID came after
 * the others, so logs and snapshots written before it simply lack it.
 */
public enum RecordType {
    REGISTER_BROKER(1, 0),
    BROKER_FENCING(2, 0),
    TOPIC(3, 0),
    TOPIC_CONFIG(4, 0),
    PARTITION(5, 1),
    PARTITION_CHANGE(6, 1),
    PRODUCER_ID_BLOCK(7, 0),
    ROUTING_FENCE(8, 0),
    REMOVE_TOPIC(9, 0),
    CLUSTER_ID(10, 0);

    private final int code;
    private final int version;

    RecordType(int code, int version) {
        this.code = code;
        this.version = version;
    }

    public int code() {
        return code;
    }

    /** The version written; versions up to it are read. */
    public int version() {
        return version;
    }

    /** The type of {@code code}, or null. */
    public static RecordType forCode(int code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
