package io.tributary.metadata.record;

/**
 * A record of a type or version this node does not know: written by a newer node. Applying the rest without it would
 * make this node's image silently differ from its peers', so the whole batch is refused.
 */
public final class UnknownRecordException extends MalformedRecordException {
    private final int typeCode;
    private final int version;

    public UnknownRecordException(int typeCode, int version, int position) {
        this(message(typeCode, version), typeCode, version, position);
    }

    private UnknownRecordException(String message, int typeCode, int version, int position) {
        super(message, position);
        this.typeCode = typeCode;
        this.version = version;
    }

    /** A batch or snapshot header of a version this node does not know ({@link #typeCode()} is -1). */
    public static UnknownRecordException ofContainer(String container, int version, int position) {
        return new UnknownRecordException("Unknown " + container + " version " + version + "; this node reads version 0: "
            + "upgrade it", -1, version, position);
    }

    private static String message(int typeCode, int version) {
        RecordType known = RecordType.forCode(typeCode);
        return known == null
            ? "Unknown metadata record type " + typeCode + " (version " + version + "); this node knows types 1.."
                + RecordType.values().length + ": upgrade it"
            : "Unknown version " + version + " of metadata record " + known + "; this node reads up to version "
                + known.version() + ": upgrade it";
    }

    public int typeCode() {
        return typeCode;
    }

    public int version() {
        return version;
    }
}
