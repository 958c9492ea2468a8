package io.tributary.server.security.authz;

/**
 * How an ACL's resource name matches, with Kafka's wire codes: LITERAL (the name itself, or {@code *} for every
 * resource of the type) and PREFIXED (every name starting with it) are stored; MATCH (what applies to a resource:
 * literal, wildcard and prefixes) and ANY exist only in filters.
 */
public enum PatternType {
    UNKNOWN(0), ANY(1), MATCH(2), LITERAL(3), PREFIXED(4);

    public final byte code;

    PatternType(int code) {
        this.code = (byte) code;
    }

    public static PatternType of(byte code) {
        for (PatternType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
