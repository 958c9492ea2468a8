package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;

/**
 * The config resources the config APIs name by {@code resource_type}, with Kafka's ids, and the refusals
 * common to all three of them. This broker serves topics (2) and brokers (4); broker loggers (8), client
 * metrics (16) and groups (32) are refused as unsupported.
 */
final class ConfigResource {
    static final byte TOPIC = 2;
    static final byte BROKER = 4;

    private ConfigResource() {
    }

    static AdminException unsupportedType(byte type, String name) {
        return new AdminException(ErrorCode.INVALID_REQUEST, "Unsupported resource type " + type + " (" + typeName(type)
            + ") for resource '" + name + "'; this broker serves configs of topics (2) and brokers (4)");
    }

    /**
     * Checks that a broker resource names this broker ("0") or the cluster-wide default (""), as Kafka does.
     *
     * @return whether it names the cluster-wide default
     */
    static boolean isClusterDefault(String name, int nodeId) {
        if (name == null || name.isEmpty()) {
            return true;
        }
        try {
            if (Integer.parseInt(name.trim()) == nodeId) {
                return false;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new AdminException(ErrorCode.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId
            + " or empty string, but received " + name);
    }

    /** AlterConfigs and IncrementalAlterConfigs of a broker resource. */
    static AdminException brokerConfigsReadOnly(String name) {
        return new AdminException(ErrorCode.INVALID_REQUEST, "Cannot update broker configs dynamically (resource '"
            + name + "'): dynamic broker configs are not supported yet; set them in server.properties or with "
            + "--override and restart the broker");
    }

    private static String typeName(byte type) {
        return switch (type) {
            case 0 -> "UNKNOWN";
            case TOPIC -> "TOPIC";
            case BROKER -> "BROKER";
            case 8 -> "BROKER_LOGGER";
            case 16 -> "CLIENT_METRICS";
            case 32 -> "GROUP";
            default -> "not a resource type";
        };
    }
}
