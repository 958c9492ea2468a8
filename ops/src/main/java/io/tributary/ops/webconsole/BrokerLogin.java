package io.tributary.ops.webconsole;

import io.tributary.console.auth.Login;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.SecurityProtocol;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.FileCredentialStore;
import io.tributary.server.security.sasl.ScramCredential;
import io.tributary.server.security.sasl.ScramMechanism;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's login inside a broker that requires authentication: the broker's own SASL users. A PLAIN user of
 * any SASL listener that enables PLAIN ({@code listener.name.<l>.plain.sasl.jaas.config}, {@code user_NAME="password"}) logs in with
 * that password; a SCRAM user (of a mechanism some SASL listener enables) with the password whose salted form the broker keeps (RFC 5802: the StoredKey
 * computed from the password, salt and iterations must equal the one kept). The SCRAM credentials are read again
 * from the broker's {@code scram-credentials} file at each login, so a user added or changed with
 * AlterUserScramCredentials can log in at once and a removed one no longer can. The principal is Kafka's
 * {@code User:<name>}.
 *
 * <p>After a login the console's clients act as that user ({@link #clientSettings}): they authenticate with the
 * mechanism the password matched, on a SASL listener that enables it, so the broker's ACLs apply to what the user sees
 * and does. Of several such listeners a loopback one goes first, then SASL_PLAINTEXT before SASL_SSL (no TLS to pay
 * for inside one machine). On a SASL_SSL listener the clients trust the broker's own certificate and trust store
 * ({@link OwnListenerTls}).
 */
final class BrokerLogin implements Login {
    /**
     * The SASL listener the console's per-user clients use for one mechanism: where, the PLAIN passwords it knows,
     * and its transport's client keys (security.protocol, and ssl.* for SASL_SSL).
     */
    private record UserListener(String bootstrap, Map<String, String> plainPasswords, Map<String, Object> transport) {
    }

    private final Map<String, String> plainUsers;
    private final Set<ScramMechanism> scramMechanisms;
    private final Path credentialsDir;
    /** Mechanism name -> the listener to use it on. */
    private final Map<String, UserListener> listeners;

    private BrokerLogin(Map<String, String> plainUsers, Set<ScramMechanism> scramMechanisms, Path credentialsDir,
                        Map<String, UserListener> listeners) {
        this.plainUsers = plainUsers;
        this.scramMechanisms = scramMechanisms;
        this.credentialsDir = credentialsDir;
        this.listeners = listeners;
    }

    /** {@link #of(ServerConfig, List)} without bound addresses: logins only, the console's own clients for everyone. */
    static Optional<Login> of(ServerConfig config) {
        return of(config, List.of());
    }

    /**
     * A login when some listener of {@code config} requires SASL, else empty (then the console asks nobody).
     * {@code bound} holds the bound addresses in the order of the config's endpoints.
     */
    static Optional<Login> of(ServerConfig config, List<InetSocketAddress> bound) {
        Map<String, String> plain = new LinkedHashMap<>();
        Set<ScramMechanism> scram = EnumSet.noneOf(ScramMechanism.class);
        Map<String, UserListener> listeners = new HashMap<>();
        Map<String, Integer> listenerRank = new HashMap<>();
        boolean sasl = false;
        List<ServerConfig.Endpoint> endpoints = config.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            ServerConfig.Endpoint e = endpoints.get(i);
            if (!e.protocol().sasl) {
                continue;
            }
            sasl = true;
            SaslSettings settings = config.saslSettings(e.name());
            for (String mechanism : settings.enabledMechanisms()) {
                if (mechanism.equals(SaslSettings.PLAIN)) {
                    settings.plainPasswords().forEach(plain::putIfAbsent);
                } else if (ScramMechanism.named(mechanism) != null) {
                    scram.add(ScramMechanism.named(mechanism));
                } else {
                    continue;
                }
                if (i < bound.size()) {
                    InetSocketAddress a = bound.get(i);
                    int rank = (a.getAddress().isLoopbackAddress() ? 2 : 0) + (e.protocol() == SecurityProtocol.SASL_PLAINTEXT ? 1 : 0);
                    if (rank > listenerRank.getOrDefault(mechanism, -1)) {
                        Map<String, String> passwords = mechanism.equals(SaslSettings.PLAIN) ? settings.plainPasswords() : Map.of();
                        Map<String, Object> transport = new HashMap<>();
                        transport.put("security.protocol", e.protocol().name());
                        if (e.protocol().tls) {
                            transport.putAll(OwnListenerTls.clientSettings(config, e, a));
                        }
                        listeners.put(mechanism, new UserListener(ConsoleExtension.hostPort(a), Map.copyOf(passwords), Map.copyOf(transport)));
                        listenerRank.put(mechanism, rank);
                    }
                }
            }
        }
        return sasl ? Optional.of(new BrokerLogin(Map.copyOf(plain), scram, config.logDirs().get(0), Map.copyOf(listeners)))
            : Optional.empty();
    }

    @Override
    public Optional<String> authenticate(String user, String password) {
        return matchedMechanism(user, password, false).map(m -> "User:" + user);
    }

    /**
     * The mechanism {@code password} is right for: PLAIN first, then the SCRAM mechanisms; with {@code usable}, only
     * one that a listener for the console's clients enables (and, for PLAIN, whose listener knows the password).
     */
    private Optional<String> matchedMechanism(String user, String password, boolean usable) {
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        String plain = plainUsers.get(user);
        if (plain != null && MessageDigest.isEqual(plain.getBytes(StandardCharsets.UTF_8), given)) {
            UserListener l = listeners.get(SaslSettings.PLAIN);
            String there = l == null ? null : l.plainPasswords().get(user);
            if (!usable || there != null && MessageDigest.isEqual(there.getBytes(StandardCharsets.UTF_8), given)) {
                return Optional.of(SaslSettings.PLAIN);
            }
        }
        if (scramMechanisms.isEmpty()) {
            return Optional.empty();
        }
        CredentialStore store = FileCredentialStore.open(credentialsDir);
        for (ScramMechanism mechanism : scramMechanisms) {
            if (usable && !listeners.containsKey(mechanism.mechanismName)) {
                continue;
            }
            ScramCredential kept = store.credential(user, mechanism);
            if (kept != null) {
                byte[] salted = mechanism.saltedPassword(given, kept.salt(), kept.iterations());
                if (MessageDigest.isEqual(mechanism.credential(kept.salt(), salted, kept.iterations()).storedKey(), kept.storedKey())) {
                    return Optional.of(mechanism.mechanismName);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, Object> clientSettings(String user, String password) {
        Optional<String> mechanism = matchedMechanism(user, password, true);
        if (mechanism.isEmpty()) {
            return Map.of();
        }
        String module = mechanism.get().equals(SaslSettings.PLAIN) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        UserListener listener = listeners.get(mechanism.get());
        Map<String, Object> settings = new HashMap<>(listener.transport());
        settings.put("bootstrap.servers", listener.bootstrap());
        settings.put("sasl.mechanism", mechanism.get());
        settings.put("sasl.jaas.config", module + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";");
        return Map.copyOf(settings);
    }

    /** A JAAS quoted value: backslash and double quote escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String source() {
        return "the broker's SASL users";
    }
}
