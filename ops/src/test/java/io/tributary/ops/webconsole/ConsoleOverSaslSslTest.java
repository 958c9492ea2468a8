package io.tributary.ops.webconsole;

import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.console.auth.ClusterLogin;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.TestCertificates;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.ops.webconsole.ConsoleHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console acts as the logged-in user on a broker whose only listener is SASL_SSL, with certificates made here:
 * inside the broker its per-user clients trust the broker's own certificate (no trust store is configured), and a
 * standalone console reaches the same listener with a client trust store from its client settings and checks logins
 * with the brokers. Two users with different ACLs see different topics; a super user sees all of them.
 */
class ConsoleOverSaslSslTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    @TempDir
    static Path dir;
    private static Path trustStore;
    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Identity authority = TestCertificates.authority("Console TLS CA");
        Path keyStore = TestCertificates.server(authority).writeKeyStore(dir, "broker");
        trustStore = TestCertificates.writeTrustStore(dir, "client-trust", authority);
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SASL_SSL://127.0.0.1:0");
        settings.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
        settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config", JAAS);
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", keyStore.toString());
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER);
        settings.put("super.users", "User:admin");
        settings.put(ServerConfig.METRICS_LISTENER, "127.0.0.1:0");
        fixture = new BrokerFixture(settings);
        try (Admin admin = Admin.create(new HashMap<>(clientSettings("PLAIN", "admin", "admin-secret")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "bob-secret"))).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "alice-", PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "*", AclOperation.ALL, AclPermissionType.ALLOW)));
            for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.READ)) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "shared", PatternType.LITERAL),
                    new AccessControlEntry("User:bob", "*", operation, AclPermissionType.ALLOW)));
            }
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic("alice-orders", 1, (short) 1), new NewTopic("payroll", 1, (short) 1),
                new NewTopic("shared", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + fixture.broker().boundAddresses().get(0).getPort();
    }

    /** Kafka client settings for the SASL_SSL listener, trusting the test authority from a PKCS12 file. */
    private static Map<String, String> clientSettings(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return Map.of("bootstrap.servers", bootstrap(), "security.protocol", "SASL_SSL", "sasl.mechanism", mechanism,
            "sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";",
            "ssl.truststore.type", "PKCS12", "ssl.truststore.location", trustStore.toString(),
            "ssl.truststore.password", TestCertificates.PASSWORD);
    }

    @Test
    void insideTheBrokerEachUserActsAsItselfOverSaslSslTrustingTheBrokersOwnCertificate() {
        ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
        ConsoleHttp alice = http.logIn("alice", "alice-secret");
        assertThat(alice.topicNames()).containsExactly("alice-orders");
        assertProblem(alice.get("/api/topics/payroll"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");
        assertThat(alice.post("/api/topics/alice-orders/messages", "{\"key\":\"k\",\"value\":\"v\"}").status()).isEqualTo(201);
        assertThat(alice.get("/api/topics/alice-orders/messages?mode=earliest").json().get("records").size()).isEqualTo(1);

        ConsoleHttp bob = http.logIn("bob", "bob-secret"); // SCRAM-SHA-256 over the same listener
        assertThat(bob.get("/api/info").json().get("principal").asText()).isEqualTo("User:bob");
        assertThat(bob.topicNames()).containsExactly("shared");
        assertProblem(bob.post("/api/topics", "{\"name\":\"bobs\",\"partitions\":1}"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");

        assertThat(http.logIn("admin", "admin-secret").topicNames()).contains("alice-orders", "payroll", "shared");
    }

    @Test
    void aStandaloneConsoleReachesTheSaslSslListenerAndChecksLoginsWithTheBrokers() {
        // As --command-config gives them: the console's own identity (admin) and the client trust store.
        Map<String, String> commandConfig = new HashMap<>(clientSettings("PLAIN", "admin", "admin-secret"));
        commandConfig.remove("bootstrap.servers");
        ConsoleSettings settings = ConsoleSettings.standalone(bootstrap(), "127.0.0.1", 0, false).withClientOverrides(commandConfig);
        settings = settings.withLogin(ClusterLogin.of(settings.bootstrapServers(), settings.clientOverrides()));
        try (ConsoleServer console = ConsoleServer.start(settings)) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + console.address().getPort());
            assertProblem(http.get("/api/topics"), 401, "UNAUTHENTICATED", "PLAIN users");
            assertProblem(http.post("/api/login", "{\"user\":\"alice\",\"password\":\"wrong\"}"), 401, "SASL_AUTHENTICATION_FAILED", "Wrong");

            ConsoleHttp alice = http.logIn("alice", "alice-secret");
            assertThat(alice.get("/api/info").json().get("principal").asText()).isEqualTo("User:alice");
            assertThat(alice.topicNames()).contains("alice-orders").doesNotContain("payroll", "shared");
            assertProblem(alice.post("/api/topics/payroll/messages", "{\"key\":\"k\",\"value\":\"v\"}"), 403, "TOPIC_AUTHORIZATION_FAILED", "may not");

            assertThat(http.logIn("admin", "admin-secret").topicNames()).contains("alice-orders", "payroll", "shared");
        }
    }
}
