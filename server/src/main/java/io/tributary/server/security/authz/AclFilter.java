package io.tributary.server.security.authz;

/**
 * A DescribeAcls or DeleteAcls filter, Kafka's AclBindingFilter: ANY and null match every value; a resource name with
 * pattern MATCH selects what applies to that resource (its literal ACLs, the wildcard {@code *} and the prefixes of
 * the name); pattern ANY with a name selects LITERAL and PREFIXED bindings with exactly that name.
 */
public record AclFilter(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
                        String host, AclOperation operation, AclPermission permission) {

    /** Why a filter cannot be used (Kafka answers INVALID_REQUEST), or null when it can. */
    public String problem() {
        if (resourceType == ResourceType.UNKNOWN) {
            return "Unknown resource type in the filter";
        }
        if (patternType == PatternType.UNKNOWN) {
            return "Unknown pattern type in the filter";
        }
        if (operation == AclOperation.UNKNOWN) {
            return "Unknown operation in the filter";
        }
        if (permission == AclPermission.UNKNOWN) {
            return "Unknown permission type in the filter";
        }
        return null;
    }

    public boolean matches(AclBinding acl) {
        if (resourceType != ResourceType.ANY && resourceType != acl.resourceType()) {
            return false;
        }
        if (!matchesPattern(acl)) {
            return false;
        }
        return (principal == null || principal.equals(acl.principal()))
            && (host == null || host.equals(acl.host()))
            && (operation == AclOperation.ANY || operation == acl.operation())
            && (permission == AclPermission.ANY || permission == acl.permission());
    }

    private boolean matchesPattern(AclBinding acl) {
        if (patternType == PatternType.MATCH) {
            if (resourceName == null) {
                return true;
            }
            return switch (acl.patternType()) {
                case LITERAL -> acl.resourceName().equals(resourceName) || acl.resourceName().equals(AclBinding.WILDCARD_RESOURCE);
                case PREFIXED -> resourceName.startsWith(acl.resourceName());
                default -> false;
            };
        }
        if (patternType != PatternType.ANY && patternType != acl.patternType()) {
            return false;
        }
        return resourceName == null || resourceName.equals(acl.resourceName());
    }
}
