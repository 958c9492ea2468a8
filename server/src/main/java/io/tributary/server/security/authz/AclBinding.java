package io.tributary.server.security.authz;

/**
 * One ACL in Kafka's model: on the resources a (type, name, pattern) names, {@code principal} ({@code User:alice}, or
 * {@code User:*} for every user) connecting from {@code host} (an IP address, or {@code *}) is allowed or denied
 * {@code operation}. A stored binding has concrete values only: no ANY, MATCH or UNKNOWN.
 */
public record AclBinding(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
                         String host, AclOperation operation, AclPermission permission) {
    public static final String WILDCARD_RESOURCE = "*";
    public static final String WILDCARD_HOST = "*";
    public static final String WILDCARD_PRINCIPAL = "User:*";

    /** Whether this binding's resource pattern applies to the resource {@code (type, name)}. */
    public boolean appliesTo(ResourceType type, String name) {
        if (resourceType != type) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> resourceName.equals(name) || resourceName.equals(WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(resourceName);
            default -> false;
        };
    }

    /** The binding as kafka-acls prints it, for logs and errors. */
    @Override
    public String toString() {
        return "(" + resourceType + ":" + patternType + ":" + resourceName + ", " + principal + " from " + host + " "
            + permission + " " + operation + ")";
    }
}
