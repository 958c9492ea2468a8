package io.tributary.server.security;

import io.tributary.protocol.ApiKey;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.RequestContext;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.ApiVersionsHandler;
import io.tributary.server.network.NetworkServer;
import io.tributary.server.network.RequestObserver;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The principal a TLS client is known by: {@code User:} and its certificate's distinguished name as mapped by
 * ssl.principal.mapping.rules, anonymous without a certificate; and the listener's name on every request.
 */
class TlsPrincipalTest {
    private static Path dir;
    private static Path serverKeyStore;
    private static Path trustStore;
    private static Path aliceKeyStore;

    @BeforeAll
    static void certificates() throws IOException {
        dir = Files.createTempDirectory("tributary-tls-principal");
        TestCertificates.Identity authority = TestCertificates.authority("Tributary Test CA");
        serverKeyStore = TestCertificates.server(authority).writeKeyStore(dir, "broker");
        trustStore = TestCertificates.writeTrustStore(dir, "trust", authority);
        aliceKeyStore = TestCertificates.client(authority, "CN=alice,OU=Clients,O=Tributary Tests").writeKeyStore(dir, "alice");
    }

    @AfterAll
    static void remove() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void theDistinguishedNameByDefault() throws Exception {
        assertThat(principalSeen("DEFAULT", aliceKeyStore)).containsExactly("SECURE", "User:CN=alice,OU=Clients,O=Tributary Tests");
    }

    @Test
    void mappedByTheRules() throws Exception {
        assertThat(principalSeen("RULE:^CN=(.*?),OU=Clients.*$/$1/U,DEFAULT", aliceKeyStore)).containsExactly("SECURE", "User:ALICE");
    }

    @Test
    void anonymousWithoutACertificate() throws Exception {
        assertThat(principalSeen("DEFAULT", null)).containsExactly("SECURE", RequestContext.ANONYMOUS);
    }

    /** The listener name and principal an ApiVersions request over TLS arrives with. */
    private static List<String> principalSeen(String rules, Path clientKeyStore) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SECURE://127.0.0.1:0");
        settings.put(ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP, "SECURE:SSL");
        settings.put(ServerConfig.NUM_NETWORK_THREADS, "1");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", serverKeyStore.toString());
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.password", TestCertificates.PASSWORD);
        settings.put("ssl.client.auth", "requested");
        settings.put("ssl.principal.mapping.rules", rules);
        ServerConfig config = ServerConfig.of(settings);
        ApiDispatcher dispatcher = new ApiDispatcher();
        ApiVersionsHandler versions = new ApiVersionsHandler(dispatcher);
        List<String> seen = new CopyOnWriteArrayList<>();
        dispatcher.register(ApiKey.API_VERSIONS, (context, request) -> {
            seen.add(context.listenerName());
            seen.add(context.principal());
            return versions.handle(context, request);
        });
        ExecutorService io = Executors.newSingleThreadExecutor();
        try (NetworkServer network = new NetworkServer(config, dispatcher, io, RequestObserver.NONE)) {
            int port = network.boundAddresses().get(0).getPort();
            try (SSLSocket socket = (SSLSocket) clientContext(clientKeyStore).getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                AbstractRequest request = new ApiVersionsRequest.Builder().build((short) 3);
                ByteBuffer frame = request.serializeWithHeader(new RequestHeader(request.apiKey(), (short) 3, "principal-test", 1));
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                byte[] bytes = new byte[frame.remaining()];
                frame.get(bytes);
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                DataInputStream data = new DataInputStream(in);
                byte[] answer = new byte[data.readInt()];
                data.readFully(answer);
                assertThat(ByteBuffer.wrap(answer).getInt()).as("correlation id").isEqualTo(1);
            }
        } finally {
            io.shutdownNow();
        }
        return seen;
    }

    private static SSLContext clientContext(Path keyStore) throws Exception {
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestCertificates.PASSWORD.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            trusted.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
