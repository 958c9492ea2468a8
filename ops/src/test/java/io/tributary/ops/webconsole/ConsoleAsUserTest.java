package io.tributary.ops.webconsole;

import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.authz.AuthorizerSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.ops.webconsole.ConsoleHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console inside a broker with ACLs acts as the logged-in user: a PLAIN user and a SCRAM user each see only the
 * topics their ACLs let them describe, may only create and write what their ACLs allow (the broker's refusal shown as
 * Kafka's error), and a super user sees everything; the console's own connection is never used for a user's request.
 */
class ConsoleAsUserTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    private static BrokerFixture fixture;
    private static ConsoleHttp http;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of(
            ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            "authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER,
            // the console's own PLAINTEXT connection is ANONYMOUS, a super user: were it used for a user, the test would see it
            "super.users", "User:admin;User:ANONYMOUS",
            ServerConfig.METRICS_LISTENER, "127.0.0.1:0"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + fixture.broker().boundAddresses().get(0).getPort()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "bob-secret"))).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
                acls.add(new AclBinding(new ResourcePattern(type, "alice-", PatternType.PREFIXED),
                    new AccessControlEntry("User:alice", "*", AclOperation.ALL, AclPermissionType.ALLOW)));
            }
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "shared", PatternType.LITERAL),
                new AccessControlEntry("User:bob", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "shared", PatternType.LITERAL),
                new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.ALLOW)));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic("alice-orders", 1, (short) 1), new NewTopic("payroll", 1, (short) 1),
                new NewTopic("shared", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aPlainUserSeesAndDoesOnlyWhatItsAclsAllow() {
        ConsoleHttp alice = http.logIn("alice", "alice-secret");
        assertThat(alice.topicNames()).containsExactly("alice-orders");
        assertThat(alice.get("/api/overview").json().get("topics").asInt()).isEqualTo(1);
        assertThat(alice.post("/api/topics", "{\"name\":\"alice-events\",\"partitions\":1}").status()).isEqualTo(201);
        assertProblem(alice.post("/api/topics", "{\"name\":\"payroll-copy\",\"partitions\":1}"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");
        assertProblem(alice.get("/api/topics/payroll"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");
        assertThat(alice.post("/api/topics/alice-orders/messages", "{\"key\":\"k\",\"value\":\"v\"}").status()).isEqualTo(201);
        assertThat(alice.get("/api/topics/alice-orders/messages?mode=earliest").json().get("records").size()).isEqualTo(1);
        assertProblem(alice.post("/api/topics/payroll/messages", "{\"key\":\"k\",\"value\":\"v\"}"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");
        assertThat(alice.post("/api/logout", "").status()).isEqualTo(200);
        assertThat(alice.get("/api/topics").status()).isEqualTo(401);
    }

    @Test
    void aScramUserSeesOnlyItsTopicAndASuperUserSeesEverything() {
        ConsoleHttp bob = http.logIn("bob", "bob-secret");
        assertThat(bob.get("/api/info").json().get("principal").asText()).isEqualTo("User:bob");
        assertThat(bob.topicNames()).containsExactly("shared");
        assertProblem(bob.post("/api/topics", "{\"name\":\"bobs\",\"partitions\":1}"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");

        ConsoleHttp admin = http.logIn("admin", "admin-secret");
        assertThat(admin.topicNames()).contains("alice-orders", "payroll", "shared");
    }
}
