package io.tributary.server.security.authz;

import io.tributary.server.api.RequestContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a principal connecting from a host may perform an operation on a resource, by Kafka's
 * StandardAuthorizer rules: super users may do anything; otherwise the ACLs that apply to the resource (its literal
 * name, the wildcard {@code *}, and every prefix ACL the name starts with) and to the principal ({@code User:*} too) and
 * host ({@code *} too) are consulted: a DENY for the operation (or ALL) wins; else an ALLOW for it, ALL, or an operation
 * implying it (DESCRIBE by READ/WRITE/DELETE/ALTER, DESCRIBE_CONFIGS by ALTER_CONFIGS) allows; else, when no ACL at all
 * applies to the resource, {@code allow.everyone.if.no.acl.found} decides; else deny.
 *
 * <p>Cost: the ACLs are indexed by resource type and literal name, with the prefix ACLs of each type in a list, rebuilt
 * whenever the store changes. Decisions are cached per (principal, host, operation, resource) against the index they
 * were made on, so the produce and fetch paths pay one hash lookup per topic, not a scan; a change swaps in a new index
 * and an empty cache. The cache holds at most {@link #MAX_CACHED_DECISIONS}; beyond that it is cleared.
 */
public final class Authorizer {
    static final int MAX_CACHED_DECISIONS = 100_000;

    private final AuthorizerSettings settings;
    private final AclStore store;
    private volatile Index index;

    /** The ACLs as looked up: by type, literal ACLs by name (the wildcard under "*"), prefixed ACLs in a list. */
    private static final class Index {
        final Map<ResourceType, Map<String, List<AclBinding>>> literal = new EnumMap<>(ResourceType.class);
        final Map<ResourceType, List<AclBinding>> prefixed = new EnumMap<>(ResourceType.class);
        final Map<Decision, Boolean> decisions = new ConcurrentHashMap<>();

        Index(Set<AclBinding> acls) {
            for (AclBinding acl : acls) {
                if (acl.patternType() == PatternType.PREFIXED) {
                    prefixed.computeIfAbsent(acl.resourceType(), t -> new ArrayList<>()).add(acl);
                } else {
                    literal.computeIfAbsent(acl.resourceType(), t -> new HashMap<>())
                        .computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
                }
            }
        }
    }

    /** A cached question. */
    private record Decision(String principal, String host, AclOperation operation, ResourceType type, String name) {
    }

    public Authorizer(AuthorizerSettings settings, AclStore store) {
        this.settings = settings;
        this.store = store;
        this.index = new Index(store.all());
        store.onChange(() -> index = new Index(store.all()));
    }

    public AclStore store() {
        return store;
    }

    public AuthorizerSettings settings() {
        return settings;
    }

    /** The host Kafka matches ACL hosts against: the client's IP address as text. */
    public static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return AclBinding.WILDCARD_HOST;
    }

    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
        return authorize(context.principal(), host(context.clientAddress()), operation, type, name);
    }

    public boolean authorize(String principal, String host, AclOperation operation, ResourceType type, String name) {
        if (settings.superUsers().contains(principal)) {
            return true;
        }
        Index current = index;
        Decision question = new Decision(principal, host, operation, type, name);
        Boolean cached = current.decisions.get(question);
        if (cached != null) {
            return cached;
        }
        boolean allowed = decide(current, principal, host, operation, type, name);
        if (current.decisions.size() >= MAX_CACHED_DECISIONS) {
            current.decisions.clear();
        }
        current.decisions.put(question, allowed);
        return allowed;
    }

    private boolean decide(Index index, String principal, String host, AclOperation operation, ResourceType type, String name) {
        boolean anyAcl = false;
        boolean allowed = false;
        Map<String, List<AclBinding>> literal = index.literal.get(type);
        List<List<AclBinding>> candidates = new ArrayList<>(3);
        if (literal != null) {
            addIfPresent(candidates, literal.get(name));
            if (!name.equals(AclBinding.WILDCARD_RESOURCE)) {
                addIfPresent(candidates, literal.get(AclBinding.WILDCARD_RESOURCE));
            }
        }
        List<AclBinding> prefixed = index.prefixed.get(type);
        if (prefixed != null) {
            List<AclBinding> applying = new ArrayList<>();
            for (AclBinding acl : prefixed) {
                if (name.startsWith(acl.resourceName())) {
                    applying.add(acl);
                }
            }
            addIfPresent(candidates, applying);
        }
        for (List<AclBinding> acls : candidates) {
            for (AclBinding acl : acls) {
                anyAcl = true;
                if (!principalMatches(acl, principal) || !hostMatches(acl, host)) {
                    continue;
                }
                if (acl.permission() == AclPermission.DENY) {
                    if (acl.operation() == AclOperation.ALL || acl.operation() == operation) {
                        return false;
                    }
                } else if (acl.operation().allowImplies(operation)) {
                    allowed = true;
                }
            }
        }
        return allowed || (!anyAcl && settings.allowEveryoneIfNoAclFound());
    }

    private static void addIfPresent(List<List<AclBinding>> candidates, List<AclBinding> acls) {
        if (acls != null && !acls.isEmpty()) {
            candidates.add(acls);
        }
    }

    private static boolean principalMatches(AclBinding acl, String principal) {
        return acl.principal().equals(principal) || acl.principal().equals(AclBinding.WILDCARD_PRINCIPAL);
    }

    private static boolean hostMatches(AclBinding acl, String host) {
        return acl.host().equals(host) || acl.host().equals(AclBinding.WILDCARD_HOST);
    }

    /**
     * Whether the principal may perform {@code operation} on at least one resource of {@code type}: Kafka's
     * authorizeByResourceType, used for idempotent producers (IDEMPOTENT_WRITE on the cluster, or WRITE on any topic).
     * An ALLOW counts unless a DENY for the same principal and host covers it (a wildcard deny, a literal deny of the
     * same name, or a prefix deny its name starts with); with no ACL on the type at all, allow.everyone.if.no.acl.found
     * decides.
     */
    public boolean authorizeAny(RequestContext context, AclOperation operation, ResourceType type) {
        String principal = context.principal();
        if (settings.superUsers().contains(principal)) {
            return true;
        }
        String host = host(context.clientAddress());
        Index current = index;
        List<AclBinding> ofType = new ArrayList<>(current.prefixed.getOrDefault(type, List.of()));
        current.literal.getOrDefault(type, Map.of()).values().forEach(ofType::addAll);
        if (ofType.isEmpty()) {
            return settings.allowEveryoneIfNoAclFound();
        }
        List<AclBinding> denies = new ArrayList<>();
        List<AclBinding> allows = new ArrayList<>();
        for (AclBinding acl : ofType) {
            if (!principalMatches(acl, principal) || !hostMatches(acl, host)) {
                continue;
            }
            if (acl.permission() == AclPermission.DENY && (acl.operation() == AclOperation.ALL || acl.operation() == operation)) {
                denies.add(acl);
            } else if (acl.permission() == AclPermission.ALLOW && acl.operation().allowImplies(operation)) {
                allows.add(acl);
            }
        }
        for (AclBinding deny : denies) {
            if (deny.patternType() == PatternType.LITERAL && deny.resourceName().equals(AclBinding.WILDCARD_RESOURCE)) {
                return false;
            }
        }
        for (AclBinding allow : allows) {
            boolean covered = false;
            for (AclBinding deny : denies) {
                covered |= deny.patternType() == PatternType.PREFIXED ? allow.resourceName().startsWith(deny.resourceName())
                    : allow.patternType() == PatternType.LITERAL && allow.resourceName().equals(deny.resourceName());
            }
            if (!covered) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's authorized-operations bit set for a resource: bit {@code op.code} for each operation of the type the
     * principal may perform.
     */
    public int authorizedOperations(RequestContext context, ResourceType type, String name) {
        String principal = context.principal();
        String host = host(context.clientAddress());
        int bits = 0;
        for (AclOperation op : type.operations()) {
            if (authorize(principal, host, op, type, name)) {
                bits |= 1 << op.code;
            }
        }
        return bits;
    }
}
