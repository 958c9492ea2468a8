package io.tributary.server.security;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** DescribeConfigs answers password keys as Kafka does: sensitive, value null (synonyms too), never the secret. */
class SensitiveConfigTest {
    @Test
    void passwordsAreSensitiveAndWithoutValue() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("ssl.keystore.password", "very-secret-password"))) {
            Properties properties = new Properties();
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
            try (Admin admin = Admin.create(properties)) {
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(fixture.broker().identity().nodeId()));
                Config config = admin.describeConfigs(List.of(broker), new DescribeConfigsOptions().includeSynonyms(true))
                    .all().get(20, TimeUnit.SECONDS).get(broker);
                ConfigEntry password = config.get("ssl.keystore.password");
                assertThat(password.isSensitive()).isTrue();
                assertThat(password.value()).isNull();
                assertThat(password.synonyms()).allSatisfy(synonym -> assertThat(synonym.value()).isNull());
                assertThat(config.get("ssl.keystore.type").isSensitive()).isFalse();
                assertThat(config.entries()).noneSatisfy(entry -> assertThat(String.valueOf(entry.value())).contains("very-secret"));
            }
        }
    }
}
