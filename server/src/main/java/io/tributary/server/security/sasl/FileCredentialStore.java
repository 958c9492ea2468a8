package io.tributary.server.security.sasl;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.checkpoint.VersionedTextFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SCRAM credentials in one file of the broker's first log directory, {@code scram-credentials}, replaced whole and
 * crash-safely ({@link CrashSafeFile}) on every change. Text, one credential a line after a version line:
 * <pre>
 * 1
 * base64url(user) mechanism iterations base64(salt) base64(StoredKey) base64(ServerKey)
 * </pre>
 * (mechanism as its SASL name). It holds no password, only what RFC 5802 lets a server keep. Reads go to an
 * immutable snapshot swapped after each write, so authentications never wait for a change.
 */
public final class FileCredentialStore implements CredentialStore {
    public static final String FILE_NAME = "scram-credentials";
    private static final String VERSION = "1";

    private final Path file;
    private volatile Map<String, Map<ScramMechanism, ScramCredential>> users;

    private FileCredentialStore(Path file, Map<String, Map<ScramMechanism, ScramCredential>> users) {
        this.file = file;
        this.users = users;
    }

    /** Reads {@code dir/scram-credentials}, or starts empty when there is none. */
    public static FileCredentialStore open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        for (String line : VersionedTextFile.readEntries(file, VERSION)) {
            String[] f = line.split(" ");
            ScramMechanism mechanism = f.length == 6 ? ScramMechanism.named(f[1]) : null;
            if (mechanism == null) {
                throw new IllegalStateException("Malformed line in " + file + ": " + line.substring(0, Math.min(line.length(), 40)));
            }
            String user = new String(Base64.getUrlDecoder().decode(f[0]), StandardCharsets.UTF_8);
            Base64.Decoder b64 = Base64.getDecoder();
            users.computeIfAbsent(user, u -> new HashMap<>()).put(mechanism, new ScramCredential(b64.decode(f[3]),
                b64.decode(f[4]), b64.decode(f[5]), Integer.parseInt(f[2])));
        }
        return new FileCredentialStore(file, freeze(users));
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> freeze(Map<String, Map<ScramMechanism, ScramCredential>> users) {
        Map<String, Map<ScramMechanism, ScramCredential>> frozen = new TreeMap<>();
        users.forEach((user, credentials) -> {
            if (!credentials.isEmpty()) {
                frozen.put(user, Map.copyOf(credentials));
            }
        });
        return java.util.Collections.unmodifiableMap(frozen);
    }

    @Override
    public ScramCredential credential(String user, ScramMechanism mechanism) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        return credentials == null ? null : credentials.get(mechanism);
    }

    @Override
    public Map<String, Map<ScramMechanism, ScramCredential>> all() {
        return users;
    }

    @Override
    public synchronized void apply(List<Change> changes) {
        Map<String, Map<ScramMechanism, ScramCredential>> next = new TreeMap<>();
        users.forEach((user, credentials) -> next.put(user, new HashMap<>(credentials)));
        for (Change change : changes) {
            Map<ScramMechanism, ScramCredential> credentials = next.computeIfAbsent(change.user(), u -> new HashMap<>());
            if (change.credential() == null) {
                credentials.remove(change.mechanism());
            } else {
                credentials.put(change.mechanism(), change.credential());
            }
        }
        Map<String, Map<ScramMechanism, ScramCredential>> frozen = freeze(next);
        StringBuilder text = new StringBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        frozen.forEach((user, credentials) -> credentials.forEach((mechanism, c) -> text
            .append(Base64.getUrlEncoder().withoutPadding().encodeToString(user.getBytes(StandardCharsets.UTF_8))).append(' ')
            .append(mechanism.mechanismName).append(' ').append(c.iterations()).append(' ')
            .append(b64.encodeToString(c.salt())).append(' ').append(b64.encodeToString(c.storedKey())).append(' ')
            .append(b64.encodeToString(c.serverKey())).append('\n')));
        VersionedTextFile.write(file, VERSION, text);
        users = frozen;
    }
}
