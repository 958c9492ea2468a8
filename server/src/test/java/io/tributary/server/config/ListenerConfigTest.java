package io.tributary.server.config;

import io.tributary.log.InvalidConfigException;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.SecurityProtocol;
import io.tributary.server.security.SslSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** listeners, listener.security.protocol.map, advertised.listeners, inter.broker.listener.name and per-listener TLS keys. */
class ListenerConfigTest {
    @Test
    void theZeroConfigurationListenerIsPlaintext() {
        ServerConfig config = ServerConfig.of(Map.of());
        assertThat(config.endpoints()).containsExactly(new ServerConfig.Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "127.0.0.1", 9092));
        assertThat(config.interBrokerEndpoint().name()).isEqualTo("PLAINTEXT");
        assertThat(config.advertisedByListener()).isEmpty();
        assertThat(config.get(ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP))
            .isEqualTo("PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
    }

    @Test
    void namedListenersTakeTheirProtocolFromTheMap() {
        ServerConfig config = ServerConfig.of(Map.of(
            "listeners", "INTERNAL://10.0.0.1:9092,EXTERNAL://:9094",
            "listener.security.protocol.map", "INTERNAL:PLAINTEXT,EXTERNAL:SSL",
            "listener.name.external.ssl.keystore.location", "/etc/broker.p12",
            "listener.name.external.ssl.client.auth", "REQUIRED",
            "ssl.client.auth", "requested",
            "advertised.listeners", "EXTERNAL://kafka.example.com:443",
            "inter.broker.listener.name", "INTERNAL"));
        assertThat(config.endpoints()).containsExactly(
            new ServerConfig.Endpoint("INTERNAL", SecurityProtocol.PLAINTEXT, "10.0.0.1", 9092),
            new ServerConfig.Endpoint("EXTERNAL", SecurityProtocol.SSL, "0.0.0.0", 9094));
        assertThat(config.interBrokerEndpoint().name()).isEqualTo("INTERNAL");
        assertThat(config.advertisedByListener()).containsExactly(
            Map.entry("EXTERNAL", new ServerConfig.Listener("kafka.example.com", 443)));
        SslSettings external = config.sslSettings("EXTERNAL");
        assertThat(external.keystoreLocation()).isEqualTo("/etc/broker.p12");
        assertThat(external.clientAuth()).isEqualTo(SslSettings.ClientAuth.REQUIRED);
        SslSettings internal = config.sslSettings("INTERNAL");
        assertThat(internal.keystoreLocation()).isEmpty();
        assertThat(internal.clientAuth()).isEqualTo(SslSettings.ClientAuth.REQUESTED);
        assertThat(internal.enabledProtocols()).isEqualTo(List.of("TLSv1.2", "TLSv1.3"));
    }

    @Test
    void inconsistentListenersAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listeners", "CLIENTS://127.0.0.1:9092")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("CLIENTS://127.0.0.1:9092").hasMessageContaining("listener.security.protocol.map");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:9092,PLAINTEXT://127.0.0.1:9093")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("named twice");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listeners", "SASL_SSL://127.0.0.1:9092")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("SASL_SSL listeners need a key store");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("advertised.listeners", "EXTERNAL://example.com:9092")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("advertised.listeners").hasMessageContaining("EXTERNAL");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("inter.broker.listener.name", "REPLICATION")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("inter.broker.listener.name").hasMessageContaining("REPLICATION");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listener.security.protocol.map", "PLAINTEXT:TLS")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("listener.security.protocol.map");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listener.name.plaintext.ssl.client.auth", "always")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("listener.name.plaintext.ssl.client.auth")
            .hasMessageContaining("always");
    }

    @Test
    void plainUsersComeFromTheListenersJaasConfiguration() {
        ServerConfig config = ServerConfig.of(Map.of(
            "listeners", "SASL_PLAINTEXT://127.0.0.1:9092,PLAINTEXT://127.0.0.1:9093",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"al\\\"ice\";",
            "listener.name.sasl_plaintext.sasl.enabled.mechanisms", "plain,SCRAM-SHA-512",
            "connection.failed.authentication.delay.ms", "250"));
        SaslSettings sasl = config.saslSettings("SASL_PLAINTEXT");
        assertThat(sasl.plainPasswords()).containsOnly(Map.entry("admin", "admin-secret"), Map.entry("alice", "al\"ice"));
        assertThat(sasl.enabledMechanisms()).containsExactly("PLAIN", "SCRAM-SHA-512");
        assertThat(sasl.failedAuthenticationDelayMs()).isEqualTo(250);
        assertThat(config.saslSettings("PLAINTEXT").plainPasswords()).isEmpty();
        assertThat(config.saslSettings("PLAINTEXT").enabledMechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
        assertThat(sasl.toString()).doesNotContain("secret");
    }

    @Test
    void passwordsNeverAppearInTheEffectiveValues() {
        ServerConfig config = ServerConfig.of(Map.of("ssl.keystore.password", "s3cret", "ssl.key.password", "s3cret2"));
        assertThat(config.values().toString()).doesNotContain("s3cret");
        assertThat(config.sslSettings("PLAINTEXT").toString()).doesNotContain("s3cret");
    }
}
