package io.tributary.server.security.authz;

/** Kafka's ACL permission types with their wire codes; ANY and UNKNOWN exist only in filters. */
public enum AclPermission {
    UNKNOWN(0), ANY(1), DENY(2), ALLOW(3);

    public final byte code;

    AclPermission(int code) {
        this.code = (byte) code;
    }

    public static AclPermission of(byte code) {
        for (AclPermission permission : values()) {
            if (permission.code == code) {
                return permission;
            }
        }
        return UNKNOWN;
    }
}
