package io.tributary.bench.compare;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsCompareCommandTest {

    @Test
    void eachRoundRunsKafkaThenTributaryWithEachEngineAndBadArgumentsAreRefused() {
        TlsCompareCommand command = new TlsCompareCommand();
        new CommandLine(command).parseArgs();
        command.validate();
        assertThat(command.targets().stream().map(TlsCompareCommand.Target::label)).containsExactly("kafka", "tributary-jdk", "tributary-openssl");
        assertThat(command.keyAlgorithm).isEqualTo("RSA");

        TlsCompareCommand jdkOnly = new TlsCompareCommand();
        new CommandLine(jdkOnly).parseArgs("--engines", "jdk", "--rounds", "1", "--handshake-seconds", "3", "--key-algorithm", "EC");
        jdkOnly.validate();
        assertThat(jdkOnly.targets().stream().map(TlsCompareCommand.Target::label)).containsExactly("kafka", "tributary-jdk");
        assertThat(jdkOnly.handshakeSeconds).isEqualTo(3);

        TlsCompareCommand unknown = new TlsCompareCommand();
        new CommandLine(unknown).parseArgs("--engines", "jdk,boringssl");
        assertThatThrownBy(unknown::validate).hasMessageContaining("--engines [jdk, boringssl]");
        TlsCompareCommand dsa = new TlsCompareCommand();
        new CommandLine(dsa).parseArgs("--key-algorithm", "DSA");
        assertThatThrownBy(dsa::validate).hasMessageContaining("--key-algorithm DSA");
    }

    @Test
    void theCertificatesAreMadeForLoopbackAndSignedByTheTrustedAuthority(@TempDir Path dir) throws Exception {
        for (String algorithm : List.of("RSA", "EC")) {
            BenchCertificates certificates = BenchCertificates.create(dir.resolve(algorithm), algorithm);
            KeyStore keys = load(certificates.keyStore(), certificates.password());
            KeyStore trust = load(certificates.trustStore(), certificates.password());
            X509Certificate broker = (X509Certificate) keys.getCertificate("broker");
            X509Certificate authority = (X509Certificate) trust.getCertificate("ca");

            assertThat(keys.getKey("broker", certificates.password().toCharArray()).getAlgorithm()).isEqualTo(algorithm);
            broker.verify(authority.getPublicKey());
            broker.checkValidity();
            assertThat(broker.getSubjectAlternativeNames()).extracting(name -> (String) name.get(1)).containsExactly("127.0.0.1", "localhost");
            assertThat(authority.getBasicConstraints()).isNotNegative();
            assertThat(broker.getBasicConstraints()).isEqualTo(-1);
        }
    }

    @Test
    void saslSslClientsLogInWithScramAndTrustTheRunsAuthorityOnly() {
        BenchCertificates certificates = new BenchCertificates(Path.of("/tmp/k.p12"), Path.of("/tmp/t.p12"), "store-secret", "EC");
        Map<String, Object> plaintext = TlsCompareCommand.clientSettings(TlsCompareCommand.PLAINTEXT, "127.0.0.1:1", certificates, "pw");
        Map<String, Object> secure = TlsCompareCommand.clientSettings(TlsCompareCommand.SASL_SSL, "127.0.0.1:2", certificates, "pw");

        assertThat(plaintext).containsOnlyKeys(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        assertThat(secure).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
            .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
            .containsEntry(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, "/tmp/t.p12")
            .containsEntry(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, "store-secret")
            .doesNotContainKey(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
        assertThat((String) secure.get(SaslConfigs.SASL_JAAS_CONFIG)).contains("ScramLoginModule required username=\"bench\" password=\"pw\";");
    }

    @Test
    void newSaslSslConnectionsCompleteTlsScramAndApiVersionsAgainstTributary(@TempDir Path dir) throws Exception {
        BenchCertificates certificates = BenchCertificates.create(dir, "EC");
        Map<String, String> overrides = Map.of(
            "listeners", "PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0",
            "sasl.enabled.mechanisms", "SCRAM-SHA-512",
            "ssl.keystore.type", "PKCS12",
            "ssl.keystore.location", certificates.keyStore().toString(),
            "ssl.keystore.password", certificates.password(),
            "ssl.key.password", certificates.password(),
            "ssl.engine", "jdk");
        try (BrokerFixture broker = new BrokerFixture(overrides)) {
            int securePort = broker.broker().boundAddresses().get(1).getPort();
            InetSocketAddress secureAddress = new InetSocketAddress("127.0.0.1", securePort);
            Map<String, Object> secure = TlsCompareCommand.clientSettings(TlsCompareCommand.SASL_SSL, "127.0.0.1:" + securePort,
                certificates, "user-secret");
            try (Admin admin = broker.admin()) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bench",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "user-secret"))).all().get(30, TimeUnit.SECONDS);
            }
            TlsCompareCommand.awaitLogin(secure, secureAddress);

            HandshakeLoop.Result result = HandshakeLoop.run(secure, secureAddress, Duration.ZERO, Duration.ofSeconds(30), 3,
                ProcessMeter.ofJvm(ProcessHandle.current().pid()));
            assertThat(result.connections()).isEqualTo(3);
            assertThat(result.micros().getTotalCount()).isEqualTo(3);
            assertThat(result.brokerCpuSeconds()).isNotNaN(); // the in-process broker is this JVM

            HandshakeLoop.Result plain = HandshakeLoop.run(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()),
                new InetSocketAddress("127.0.0.1", broker.port()), Duration.ZERO, Duration.ofSeconds(30), 5, null);
            assertThat(plain.connections()).isEqualTo(5);
            assertThat(plain.brokerCpuSeconds()).isNaN();

            Map<String, Object> wrongPassword = TlsCompareCommand.clientSettings(TlsCompareCommand.SASL_SSL, "127.0.0.1:" + securePort,
                certificates, "not-the-secret");
            assertThatThrownBy(() -> HandshakeLoop.run(wrongPassword, secureAddress, Duration.ZERO, Duration.ofSeconds(30), 1, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed before it was authenticated");
        }
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
