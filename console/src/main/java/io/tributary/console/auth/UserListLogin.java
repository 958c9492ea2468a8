package io.tributary.console.auth;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's users from a file the operator keeps, one {@code name=password} a line (Java properties syntax,
 * as Kafka's JAAS {@code user_NAME="password"} options hold them in the clear; keep the file readable by the
 * console's account only). The file is read again when it changed, so adding a user needs no restart.
 */
public final class UserListLogin implements Login {
    private final Path file;
    private long readModified = Long.MIN_VALUE;
    private Map<String, String> users = Map.of();

    private UserListLogin(Path file) {
        this.file = file;
    }

    /**
     * @throws IllegalArgumentException naming the file when it cannot be read or names no user
     */
    public static UserListLogin of(Path file) {
        UserListLogin login = new UserListLogin(file);
        if (login.users().isEmpty()) {
            throw new IllegalArgumentException("The console's user list " + file + " names no user (one name=password a line)");
        }
        return login;
    }

    private synchronized Map<String, String> users() {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified != readModified) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                Map<String, String> read = new java.util.HashMap<>();
                p.forEach((k, v) -> read.put(k.toString().trim(), v.toString()));
                users = Map.copyOf(read);
                readModified = modified;
            }
            return users;
        } catch (IOException e) {
            if (readModified == Long.MIN_VALUE) {
                throw new IllegalArgumentException("Cannot read the console's user list " + file + ": " + e.getMessage(), e);
            }
            throw new UncheckedIOException("Cannot read the console's user list " + file, e);
        }
    }

    @Override
    public Optional<String> authenticate(String user, String password) {
        String expected = users().get(user);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of("User:" + user);
    }

    @Override
    public String source() {
        return "the user list " + file.getFileName();
    }
}
