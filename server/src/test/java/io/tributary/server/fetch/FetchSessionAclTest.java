package io.tributary.server.fetch;

import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import io.tributary.server.security.authz.AuthorizerSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental fetch session does not outlive an ACL: after DeleteAcls takes READ on a topic away, the next
 * incremental fetch of a session that holds its partition answers that partition TOPIC_AUTHORIZATION_FAILED with no
 * records, while the session's other partitions are still served, as Kafka authorizes a fetch context's partitions on
 * every request. The fetcher is the PLAINTEXT listener's User:ANONYMOUS; the admin is a SASL super user.
 */
class FetchSessionAclTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\";";
    private static final int MB = 1 << 20;

    private BrokerFixture fixture;

    @BeforeEach
    void start() {
        fixture = new BrokerFixture(Map.of(
            ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            "sasl.enabled.mechanisms", "PLAIN",
            "authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER,
            "super.users", "User:admin"));
        for (String topic : List.of("kept", "revoked")) {
            fixture.broker().logs().createTopic(topic, 1, Map.of());
            fixture.broker().logs().log(new TopicPartition(topic, 0)).append(TestRecords.simpleBatch(5, 10, 1_000L), LeaderEpochs.SINGLE_BROKER);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + fixture.broker().boundAddresses().get(1).getPort());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, JAAS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "40000");
        return Admin.create(p);
    }

    private static AclBinding readBy(String topic, String principal) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
            new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    @Test
    void anIncrementalFetchAfterDeleteAclsIsRefusedForTheRevokedTopic() throws Exception {
        try (Admin admin = admin(); RawConnection raw = new RawConnection(fixture.port())) {
            admin.createAcls(List.of(readBy("kept", "User:ANONYMOUS"), readBy("revoked", "User:ANONYMOUS"))).all().get(20, TimeUnit.SECONDS);
            short v = 12; // by topic name
            Struct full = raw.call(ApiKey.FETCH, v, FetchRequests.session(FetchRequests.fetch(0, 1, MB,
                List.of(Wanted.byName("kept", 0, 0, MB), Wanted.byName("revoked", 0, 0, MB))), 0, 0));
            int session = full.get(FetchResponse.SESSION_ID);
            assertThat(session).isPositive();
            assertThat(FetchRequests.partitions(full)).allSatisfy(got -> {
                assertThat(got.error()).isEqualTo(ErrorCode.NONE.code());
                assertThat(got.recordBytes()).isPositive();
            });

            admin.deleteAcls(List.of(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "revoked", PatternType.LITERAL),
                new AccessControlEntryFilter("User:ANONYMOUS", null, AclOperation.READ, AclPermissionType.ALLOW)))).all().get(20, TimeUnit.SECONDS);

            // The incremental fetch names nothing: both partitions come from the session, read again from offset 0.
            for (int epoch = 1; epoch <= 2; epoch++) {
                Struct incremental = raw.call(ApiKey.FETCH, v, FetchRequests.session(FetchRequests.fetch(0, 1, MB, List.of()), session, epoch));
                assertThat(incremental.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.NONE.code());
                assertThat(incremental.get(FetchResponse.SESSION_ID)).isEqualTo(session);
                // (the session's read order moves partitions that returned records to its end, so look them up by topic)
                Map<String, Got> got = new HashMap<>();
                FetchRequests.partitions(incremental).forEach(g -> got.put(g.topic(), g));
                assertThat(got).containsOnlyKeys("kept", "revoked");
                assertThat(got.get("kept").error()).isEqualTo(ErrorCode.NONE.code());
                assertThat(got.get("kept").recordBytes()).isPositive();
                assertThat(got.get("revoked").error()).as("epoch %d", epoch).isEqualTo(ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                assertThat(got.get("revoked").recordBytes()).isZero();
                assertThat(got.get("revoked").highWatermark()).isEqualTo(-1);
            }

            // READ given back: the same session serves the partition again.
            admin.createAcls(List.of(readBy("revoked", "User:ANONYMOUS"))).all().get(20, TimeUnit.SECONDS);
            List<Got> again = FetchRequests.partitions(raw.call(ApiKey.FETCH, v,
                FetchRequests.session(FetchRequests.fetch(0, 1, MB, List.of()), session, 3)));
            assertThat(again).filteredOn(g -> g.topic().equals("revoked")).singleElement().satisfies(g -> {
                assertThat(g.error()).isEqualTo(ErrorCode.NONE.code());
                assertThat(g.recordBytes()).isPositive();
            });
        }
    }
}
