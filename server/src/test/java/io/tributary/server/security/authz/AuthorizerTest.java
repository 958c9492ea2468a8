package io.tributary.server.security.authz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decision rules of {@link Authorizer} (Kafka's StandardAuthorizer's) and the ACL file's round trip. */
class AuthorizerTest {
    @TempDir
    Path dir;

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                                  AclOperation operation, AclPermission permission) {
        return new AclBinding(type, name, pattern, principal, host, operation, permission);
    }

    private Authorizer authorizer(boolean allowEveryone, AclBinding... acls) {
        FileAclStore store = FileAclStore.open(dir);
        store.apply(List.of(acls), List.of());
        return new Authorizer(AuthorizerSettings.enabled(List.of("User:root"), allowEveryone), store);
    }

    @Test
    void impliedOperationsFollowKafka() {
        Authorizer authorizer = authorizer(false,
            acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "*", AclOperation.WRITE, AclPermission.ALLOW),
            acl(ResourceType.TOPIC, "c", PatternType.LITERAL, "User:a", "*", AclOperation.ALTER_CONFIGS, AclPermission.ALLOW));
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.WRITE, ResourceType.TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.DESCRIBE, ResourceType.TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.READ, ResourceType.TOPIC, "t")).isFalse();
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "c")).isTrue();
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.DESCRIBE, ResourceType.TOPIC, "c")).isFalse();
        assertThat(authorizer.authorize("User:b", "1.2.3.4", AclOperation.WRITE, ResourceType.TOPIC, "t")).isFalse();
        assertThat(authorizer.authorize("User:root", "1.2.3.4", AclOperation.DELETE, ResourceType.TOPIC, "t")).isTrue();
    }

    @Test
    void denyWinsAndOnlyDeniesItsOwnOperation() {
        Authorizer authorizer = authorizer(false,
            acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*", "*", AclOperation.ALL, AclPermission.ALLOW),
            acl(ResourceType.TOPIC, "secret-", PatternType.PREFIXED, "User:a", "*", AclOperation.READ, AclPermission.DENY),
            acl(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:a", "10.0.0.9", AclOperation.ALL, AclPermission.DENY));
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.READ, ResourceType.TOPIC, "secret-1")).isFalse();
        assertThat(authorizer.authorize("User:a", "1.2.3.4", AclOperation.DESCRIBE, ResourceType.TOPIC, "secret-1")).isTrue();
        assertThat(authorizer.authorize("User:b", "1.2.3.4", AclOperation.READ, ResourceType.TOPIC, "secret-1")).isTrue();
        assertThat(authorizer.authorize("User:a", "10.0.0.9", AclOperation.DESCRIBE, ResourceType.TOPIC, "x")).isFalse();
        assertThat(authorizer.authorize("User:a", "10.0.0.8", AclOperation.DESCRIBE, ResourceType.TOPIC, "x")).isTrue();
    }

    @Test
    void allowEveryoneAppliesOnlyToResourcesWithoutAnyAcl() {
        Authorizer authorizer = authorizer(true,
            acl(ResourceType.GROUP, "g", PatternType.LITERAL, "User:a", "*", AclOperation.READ, AclPermission.ALLOW));
        assertThat(authorizer.authorize("User:b", "h", AclOperation.READ, ResourceType.GROUP, "other")).isTrue();
        assertThat(authorizer.authorize("User:b", "h", AclOperation.READ, ResourceType.GROUP, "g")).isFalse();
        assertThat(authorizer(false).authorize("User:b", "h", AclOperation.READ, ResourceType.GROUP, "other")).isFalse();
    }

    @Test
    void decisionsFollowChangesOfTheStore() {
        Authorizer authorizer = authorizer(false);
        assertThat(authorizer.authorize("User:a", "h", AclOperation.READ, ResourceType.TOPIC, "t")).isFalse();
        AclBinding grant = acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "*", AclOperation.READ, AclPermission.ALLOW);
        authorizer.store().apply(List.of(grant), List.of());
        assertThat(authorizer.authorize("User:a", "h", AclOperation.READ, ResourceType.TOPIC, "t")).isTrue();
        authorizer.store().apply(List.of(), List.of(grant));
        assertThat(authorizer.authorize("User:a", "h", AclOperation.READ, ResourceType.TOPIC, "t")).isFalse();
    }

    @Test
    void theAclFileRoundTripsAnyNameAndRefusesGarbage() throws Exception {
        AclBinding odd = acl(ResourceType.TRANSACTIONAL_ID, "tx id with spaces/ü", PatternType.PREFIXED, "User:CN=x, O=y", "::1",
            AclOperation.WRITE, AclPermission.DENY);
        FileAclStore.open(dir).apply(List.of(odd), List.of());
        assertThat(FileAclStore.open(dir).all()).isEqualTo(Set.of(odd));
        Files.writeString(dir.resolve(FileAclStore.FILE_NAME), "1\nTOPIC LITERAL x\n");
        assertThatThrownBy(() -> FileAclStore.open(dir)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Malformed line");
    }

    @Test
    void anyTopicWriteGrantsIdempotence() {
        assertThat(authorizer(false, acl(ResourceType.TOPIC, "t-", PatternType.PREFIXED, "User:a", "*", AclOperation.WRITE,
            AclPermission.ALLOW)).authorizeAny(context("User:a"), AclOperation.WRITE, ResourceType.TOPIC)).isTrue();
        assertThat(authorizer(false, acl(ResourceType.TOPIC, "t-", PatternType.PREFIXED, "User:a", "*", AclOperation.WRITE,
                AclPermission.ALLOW), acl(ResourceType.TOPIC, "t", PatternType.PREFIXED, "User:a", "*", AclOperation.WRITE,
                AclPermission.DENY)).authorizeAny(context("User:a"), AclOperation.WRITE, ResourceType.TOPIC)).isFalse();
    }

    private static io.tributary.server.api.RequestContext context(String principal) {
        return new io.tributary.server.api.RequestContext(null, new java.net.InetSocketAddress("127.0.0.1", 1), "c", Runnable::run,
            Runnable::run, "PLAINTEXT", principal);
    }
}
