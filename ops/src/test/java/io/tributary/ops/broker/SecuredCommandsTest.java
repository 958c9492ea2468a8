package io.tributary.ops.broker;

import io.tributary.ops.CommandRun;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary topics|produce|consume|groups} against a SASL_PLAINTEXT listener of a broker with ACLs, with
 * Kafka's {@code --command-config FILE} and {@code --command-property KEY=VALUE}: the commands act as the configured
 * user (PLAIN, SCRAM-SHA-256), see only what its ACLs allow, and a wrong password or a denial is one clear line.
 */
class SecuredCommandsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of(
            ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            "authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER,
            "super.users", "User:admin;User:ANONYMOUS",
            "group.initial.rebalance.delay.ms", "0"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port(0)))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "carol-secret"))).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (String user : List.of("alice", "carol")) {
                for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
                    acls.add(new AclBinding(new ResourcePattern(type, user + "-", PatternType.PREFIXED),
                        new AccessControlEntry("User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW)));
                }
            }
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic("payroll", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int port(int listener) {
        return fixture.broker().boundAddresses().get(listener).getPort();
    }

    private static CommandRun run(String input, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-b";
        all[args.length + 1] = "127.0.0.1:" + port(1);
        return input == null ? CommandRun.of(all) : CommandRun.withInput(input, all);
    }

    @Test
    void everyCommandActsAsTheUserOfItsCommandConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("alice.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"alice-secret\";\n");
        String c = "--command-config=" + config;
        CommandRun created = run(null, "topics", "create", "alice-orders", "--partitions", "2", c);
        assertThat(created.exit()).as(created.toString()).isZero();
        CommandRun produced = run("one\ntwo\nthree\n", "produce", "alice-orders", c);
        assertThat(produced.exit()).as(produced.toString()).isZero();
        CommandRun consumed = run(null, "consume", "alice-orders", "--group", "alice-readers", "--from-beginning", "-n", "3", c);
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines().toList()).containsExactlyInAnyOrder("one", "two", "three");
        CommandRun groups = run(null, "groups", "list", c);
        assertThat(groups.exit()).as(groups.toString()).isZero();
        assertThat(groups.out()).contains("alice-readers");
        CommandRun topics = run(null, "topics", "list", c);
        assertThat(topics.exit()).as(topics.toString()).isZero();
        assertThat(topics.out()).contains("alice-orders").doesNotContain("payroll"); // ACLs hide what alice may not describe

        // denied by the ACLs: Kafka's error, in one line
        CommandRun denied = run(null, "topics", "create", "payroll-2", c);
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.err()).contains("TOPIC_AUTHORIZATION_FAILED").doesNotContain("\tat ");
        CommandRun deniedProduce = run("x\n", "produce", "payroll", c);
        assertThat(deniedProduce.exit()).isNotZero();
        assertThat(deniedProduce.err()).contains("TOPIC_AUTHORIZATION_FAILED").doesNotContain("\tat ");
    }

    @Test
    void commandPropertiesAloneOrOverTheFile(@TempDir Path dir) throws Exception {
        String scram = "--command-property=sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"carol\" password=\"carol-secret\";";
        CommandRun created = run(null, "topics", "create", "carol-events", "--command-property=security.protocol=SASL_PLAINTEXT",
            "--command-property=sasl.mechanism=SCRAM-SHA-256", scram);
        assertThat(created.exit()).as(created.toString()).isZero();
        CommandRun listed = run(null, "topics", "list", "--command-property=security.protocol=SASL_PLAINTEXT",
            "--command-property=sasl.mechanism=SCRAM-SHA-256", scram);
        assertThat(listed.out()).contains("carol-events").doesNotContain("payroll");

        // a wrong password from the command line wins over the file's, and is refused with the broker's words
        Path config = dir.resolve("alice.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"alice-secret\";\n");
        CommandRun wrong = run(null, "topics", "list", "--command-config", config.toString(),
            "--command-property", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"not-hers\";");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("SASL PLAIN authentication of alice").contains("Authentication failed").doesNotContain("\tat ");
        CommandRun wrongConsume = run(null, "consume", "alice-x", "-n", "1", "--command-config", config.toString(),
            "--command-property", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"not-hers\";");
        assertThat(wrongConsume.exit()).isNotZero();
        assertThat(wrongConsume.err()).contains("SASL PLAIN authentication of alice").doesNotContain("\tat ");

        // without the settings, the SASL listener is not spoken to as PLAINTEXT silently
        CommandRun missing = run(null, "topics", "create", "x", "--command-config", dir.resolve("missing.properties").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("cannot read --command-config");
    }
}
