package io.tributary.ops.webconsole;

import io.tributary.protocol.security.KeyMaterial;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console's clients trust on one of the broker's TLS listeners: the listener's trust store and its own
 * certificate chain together (a trust store of client authorities alone would not verify the broker), the host name
 * checked only off loopback, and the broker's key store as client certificate where the listener requires one.
 */
class OwnListenerTlsTest {
    @Test
    void trustsTheListenersTrustStoreAndItsOwnChainAndChecksNamesOnlyOffLoopback(@TempDir Path dir) throws Exception {
        TestCertificates.Identity brokerAuthority = TestCertificates.authority("Broker CA");
        TestCertificates.Identity clientAuthority = TestCertificates.authority("Client CA");
        TestCertificates.Identity broker = TestCertificates.server(brokerAuthority);
        Path keyStore = broker.writeKeyStore(dir, "broker");
        Path trustStore = TestCertificates.writeTrustStore(dir, "clients", clientAuthority);
        ServerConfig config = ServerConfig.of(Map.of(
            ServerConfig.LISTENERS, "SASL_SSL://127.0.0.1:0",
            "ssl.keystore.type", "PKCS12", "ssl.keystore.location", keyStore.toString(),
            "ssl.keystore.password", TestCertificates.PASSWORD,
            "ssl.truststore.type", "PKCS12", "ssl.truststore.location", trustStore.toString(),
            "ssl.truststore.password", TestCertificates.PASSWORD,
            "ssl.client.auth", "required"));
        ServerConfig.Endpoint endpoint = config.endpoints().get(0);

        Map<String, Object> loopback = OwnListenerTls.clientSettings(config, endpoint, new InetSocketAddress("127.0.0.1", 9094));
        assertThat(loopback).containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.endpoint.identification.algorithm", "");
        List<Certificate> trusted = KeyMaterial.certificates((String) loopback.get("ssl.truststore.certificates"));
        assertThat(trusted).containsExactlyInAnyOrder(clientAuthority.certificate(), broker.certificate(), brokerAuthority.certificate());
        assertThat(loopback).containsEntry("ssl.keystore.location", keyStore.toString())
            .containsEntry("ssl.keystore.password", TestCertificates.PASSWORD);

        Map<String, Object> remote = OwnListenerTls.clientSettings(config, endpoint, new InetSocketAddress("192.0.2.7", 9094));
        assertThat(remote).containsEntry("ssl.endpoint.identification.algorithm", "https");
    }
}
