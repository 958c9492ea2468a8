package io.tributary.ops.webconsole;

import io.tributary.console.auth.Login;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.FileCredentialStore;
import io.tributary.server.security.sasl.ScramCredential;
import io.tributary.server.security.sasl.ScramMechanism;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's login inside a broker that requires authentication: the broker's own SASL users. A PLAIN user of
 * any SASL listener that enables PLAIN ({@code listener.name.<l>.plain.sasl.jaas.config}, {@code user_NAME="password"}) logs in with
 * that password; a SCRAM user (of a mechanism some SASL listener enables) with the password whose salted form the broker keeps (RFC 5802: the StoredKey
 * computed from the password, salt and iterations must equal the one kept). The SCRAM credentials are read again
 * from the broker's {@code scram-credentials} file at each login, so a user added or changed with
 * AlterUserScramCredentials can log in at once and a removed one no longer can. The principal is Kafka's
 * {@code User:<name>}.
 */
final class BrokerLogin implements Login {
    private final Map<String, String> plainUsers;
    private final java.util.Set<ScramMechanism> scramMechanisms;
    private final Path credentialsDir;

    private BrokerLogin(Map<String, String> plainUsers, java.util.Set<ScramMechanism> scramMechanisms, Path credentialsDir) {
        this.plainUsers = plainUsers;
        this.scramMechanisms = scramMechanisms;
        this.credentialsDir = credentialsDir;
    }

    /** A login when some listener of {@code config} requires SASL, else empty (then the console asks nobody). */
    static Optional<Login> of(ServerConfig config) {
        Map<String, String> plain = new LinkedHashMap<>();
        java.util.Set<ScramMechanism> scram = java.util.EnumSet.noneOf(ScramMechanism.class);
        boolean sasl = false;
        for (ServerConfig.Endpoint e : config.endpoints()) {
            if (e.protocol().sasl) {
                sasl = true;
                SaslSettings settings = config.saslSettings(e.name());
                for (String mechanism : settings.enabledMechanisms()) {
                    if (mechanism.equals(SaslSettings.PLAIN)) {
                        settings.plainPasswords().forEach(plain::putIfAbsent);
                    } else if (ScramMechanism.named(mechanism) != null) {
                        scram.add(ScramMechanism.named(mechanism));
                    }
                }
            }
        }
        return sasl ? Optional.of(new BrokerLogin(Map.copyOf(plain), scram, config.logDirs().get(0))) : Optional.empty();
    }

    @Override
    public Optional<String> authenticate(String user, String password) {
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        String plain = plainUsers.get(user);
        if (plain != null && MessageDigest.isEqual(plain.getBytes(StandardCharsets.UTF_8), given)) {
            return Optional.of("User:" + user);
        }
        if (scramMechanisms.isEmpty()) {
            return Optional.empty();
        }
        CredentialStore store = FileCredentialStore.open(credentialsDir);
        for (ScramMechanism mechanism : scramMechanisms) {
            ScramCredential kept = store.credential(user, mechanism);
            if (kept != null) {
                byte[] salted = mechanism.saltedPassword(given, kept.salt(), kept.iterations());
                if (MessageDigest.isEqual(mechanism.credential(kept.salt(), salted, kept.iterations()).storedKey(), kept.storedKey())) {
                    return Optional.of("User:" + user);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String source() {
        return "the broker's SASL users";
    }
}
