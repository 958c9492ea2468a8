package io.tributary.server.security.authz;

/** Kafka's ACL operations with their wire codes; bit {@code code} of an "authorized operations" int32 stands for one. */
public enum AclOperation {
    UNKNOWN(0), ANY(1), ALL(2), READ(3), WRITE(4), CREATE(5), DELETE(6), ALTER(7), DESCRIBE(8), CLUSTER_ACTION(9),
    DESCRIBE_CONFIGS(10), ALTER_CONFIGS(11), IDEMPOTENT_WRITE(12), CREATE_TOKENS(13), DESCRIBE_TOKENS(14);

    public final byte code;

    AclOperation(int code) {
        this.code = (byte) code;
    }

    public static AclOperation of(byte code) {
        for (AclOperation op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return UNKNOWN;
    }

    /**
     * Whether an ALLOW ACL for this operation grants {@code requested}: itself, ALL, and Kafka's implications (DESCRIBE by
     * READ, WRITE, DELETE and ALTER; DESCRIBE_CONFIGS by ALTER_CONFIGS). A DENY ACL denies only its own operation (or all).
     */
    public boolean allowImplies(AclOperation requested) {
        if (this == ALL || this == requested) {
            return true;
        }
        return switch (requested) {
            case DESCRIBE -> this == READ || this == WRITE || this == DELETE || this == ALTER;
            case DESCRIBE_CONFIGS -> this == ALTER_CONFIGS;
            default -> false;
        };
    }
}
