package io.tributary.server.security.authz;

import java.util.EnumSet;
import java.util.Set;

/**
 * Kafka's ACL resource types with their wire codes, and for each the operations that apply to it (the bits of an
 * "authorized operations" answer). UNKNOWN and ANY exist only in filters.
 */
public enum ResourceType {
    UNKNOWN(0, Set.of()),
    ANY(1, Set.of()),
    TOPIC(2, EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE,
        AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)),
    GROUP(3, EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE)),
    CLUSTER(4, EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
        AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE)),
    TRANSACTIONAL_ID(5, EnumSet.of(AclOperation.DESCRIBE, AclOperation.WRITE)),
    DELEGATION_TOKEN(6, EnumSet.of(AclOperation.DESCRIBE)),
    USER(7, EnumSet.of(AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS));

    /** The only name of the CLUSTER resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    public final byte code;
    private final Set<AclOperation> operations;

    ResourceType(int code, Set<AclOperation> operations) {
        this.code = (byte) code;
        this.operations = operations;
    }

    /** The operations an ACL on this type may name (besides ALL). */
    public Set<AclOperation> operations() {
        return operations;
    }

    /** The type with wire code {@code code}, or UNKNOWN. */
    public static ResourceType of(byte code) {
        for (ResourceType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
