package io.tributary.console.auth;

import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.errors.AuthenticationException;
import io.tributary.console.http.ApiProblem;
import io.tributary.protocol.ErrorCode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A standalone console's login checked by the brokers themselves: a user name and password are right when a client
 * authenticates with them to the cluster (SASL over the security.protocol, ssl.* and sasl.mechanism of the console's
 * client settings, e.g. {@code --command-config}: SASL_PLAINTEXT or SASL_SSL, PLAIN or SCRAM), and the user's requests
 * then go to the brokers through clients authenticated as that user ({@link #clientSettings}), so the brokers' ACLs
 * decide what the user sees and does. The principal is Kafka's {@code User:<name>}.
 *
 * <p>A login costs one connection and one DescribeCluster. Only the broker's refusal of the credentials
 * (SASL_AUTHENTICATION_FAILED) counts as a wrong password; a broker that cannot be reached, or a TLS handshake that
 * fails, is answered 503 so the person is not told their password is wrong when it is not.
 */
public final class ClusterLogin implements Login {
    static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final int LOGIN_TIMEOUT_MS = 10_000;

    /** bootstrap.servers and the transport's keys (security.protocol, ssl.*, sasl.mechanism); no credentials. */
    private final Map<String, Object> connection;
    private final String mechanism;

    private ClusterLogin(Map<String, Object> connection, String mechanism) {
        this.connection = connection;
        this.mechanism = mechanism;
    }

    /**
     * @param clientSettings the console's client settings (Kafka's keys); their sasl.jaas.config, the console's own
     *                       identity, is not used for users
     * @throws IllegalArgumentException when the settings name no SASL protocol or a mechanism other than PLAIN and SCRAM
     */
    public static ClusterLogin of(String bootstrapServers, Map<String, ?> clientSettings) {
        Object protocolValue = clientSettings.get("security.protocol");
        String protocol = protocolValue == null ? "PLAINTEXT" : protocolValue.toString().trim();
        if (!protocol.equals("SASL_PLAINTEXT") && !protocol.equals("SASL_SSL")) {
            throw new IllegalArgumentException("A login checked by the brokers needs security.protocol SASL_PLAINTEXT or SASL_SSL"
                + " in the client settings (--command-config), got " + protocol);
        }
        Object mechanismValue = clientSettings.get("sasl.mechanism");
        String mechanism = mechanismValue == null ? "PLAIN" : mechanismValue.toString().trim();
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("A login checked by the brokers takes sasl.mechanism " + String.join(", ", MECHANISMS)
                + " (a user name and password), got " + mechanism);
        }
        Map<String, Object> connection = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (k.equals("security.protocol") || k.startsWith("ssl.") || k.equals("sasl.mechanism")) {
                connection.put(k, v);
            }
        });
        connection.put("sasl.mechanism", mechanism);
        connection.put("bootstrap.servers", bootstrapServers);
        return new ClusterLogin(Map.copyOf(connection), mechanism);
    }

    @Override
    public Optional<String> authenticate(String user, String password) {
        Map<String, Object> settings = new HashMap<>(clientSettings(user, password));
        settings.put("client.id", "tributary-console-login");
        settings.put("request.timeout.ms", LOGIN_TIMEOUT_MS);
        settings.put("default.api.timeout.ms", LOGIN_TIMEOUT_MS);
        try (TributaryAdmin admin = TributaryAdmin.create(settings)) {
            admin.await(admin.describeCluster());
            return Optional.of("User:" + user);
        } catch (AuthenticationException e) {
            if (e.errorCode() == ErrorCode.SASL_AUTHENTICATION_FAILED) {
                return Optional.empty();
            }
            throw new ApiProblem(503, "CONSOLE_UNAVAILABLE", "Cannot check the login with the brokers at "
                + connection.get("bootstrap.servers") + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ApiProblem(503, "CONSOLE_UNAVAILABLE", "Cannot check the login with the brokers at "
                + connection.get("bootstrap.servers") + ": " + e.getMessage());
        }
    }

    @Override
    public Map<String, Object> clientSettings(String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put("sasl.jaas.config", module + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";");
        return Map.copyOf(settings);
    }

    /** A JAAS quoted value: backslash and double quote escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String source() {
        return "the brokers' " + mechanism + " users";
    }
}
