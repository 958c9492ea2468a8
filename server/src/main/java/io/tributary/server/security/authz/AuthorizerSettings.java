package io.tributary.server.security.authz;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the broker authorizes requests, and how, under Kafka's key names ({@link #KEYS}). {@code authorizer.class.name}
 * switches ACL authorization on: Kafka's {@code org.apache.kafka.metadata.authorizer.StandardAuthorizer} (what a Kafka
 * operator's configuration names) and this class's own name both select Tributary's {@link Authorizer}, which follows
 * StandardAuthorizer's rules; empty (the default) authorizes nothing, as a Kafka broker without an authorizer.
 *
 * @param enabled                  an authorizer is configured
 * @param superUsers               principals allowed everything ({@code super.users}, {@code User:admin;User:ops})
 * @param allowEveryoneIfNoAclFound whether a resource without any ACL is open to everyone
 */
public record AuthorizerSettings(boolean enabled, Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
    /** Kafka's KRaft authorizer; naming it selects ours. */
    public static final String KAFKA_STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    public static final String OWN_AUTHORIZER = Authorizer.class.getName();
    /** Authorization off. */
    public static final AuthorizerSettings DISABLED = new AuthorizerSettings(false, Set.of(), false);

    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<String> AUTHORIZER_CLASS_NAME = OWN.add(ConfigKey.choiceKey("authorizer.class.name",
            "", KAFKA_STANDARD_AUTHORIZER, OWN_AUTHORIZER)
        .defaultValue("")
        .importance(Importance.HIGH)
        .documentation("Switches ACL authorization on. Kafka's StandardAuthorizer class name (or Tributary's own) selects"
            + " Tributary's ACL authorizer, which follows StandardAuthorizer's rules; empty authorizes every request.").build());
    public static final ConfigKey<String> SUPER_USERS = OWN.add(ConfigKey.stringKey("super.users")
        .defaultValue("").describedAs("a semicolon-separated list of principals (User:NAME)")
        .documentation("Principals allowed every operation on every resource, whatever the ACLs say, e.g."
            + " User:admin;User:ops.").build());
    public static final ConfigKey<Boolean> ALLOW_EVERYONE_IF_NO_ACL_FOUND = OWN.add(ConfigKey.booleanKey(
            "allow.everyone.if.no.acl.found").defaultValue(false)
        .documentation("With an authorizer: whether a resource no ACL applies to is open to every principal (false: only"
            + " super users may use it).").build());

    /** Every authorizer key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    public static AuthorizerSettings of(ConfigValues values) {
        String className = values.get(AUTHORIZER_CLASS_NAME);
        return new AuthorizerSettings(!className.isEmpty(), parseSuperUsers(values.get(SUPER_USERS)),
            values.get(ALLOW_EVERYONE_IF_NO_ACL_FOUND));
    }

    static Set<String> parseSuperUsers(String text) {
        return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public AuthorizerSettings {
        superUsers = Set.copyOf(superUsers);
    }

    /** For tests: an enabled authorizer with these super users. */
    public static AuthorizerSettings enabled(List<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        return new AuthorizerSettings(true, Set.copyOf(superUsers), allowEveryoneIfNoAclFound);
    }
}
