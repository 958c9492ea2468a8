package io.tributary.console.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged-in browsers: a random 256-bit token (the {@value #COOKIE} cookie, HttpOnly, SameSite=Strict) maps to
 * the principal it acts as. A session ends at logout, after {@link #IDLE_MS} without a request, or
 * {@link #MAX_AGE_MS} after login; at most {@link #MAX_SESSIONS} live at once (the oldest goes first). Failed
 * logins of one user name are counted: after {@link #MAX_FAILURES} within {@link #FAILURE_WINDOW_MS} further
 * attempts are refused until the window passes, which slows password guessing without holding a thread.
 */
public final class Sessions {
    public static final String COOKIE = "tributary_console";
    static final long IDLE_MS = 30 * 60_000;
    static final long MAX_AGE_MS = 12 * 3600_000;
    static final int MAX_SESSIONS = 1_000;
    static final int MAX_FAILURES = 5;
    static final long FAILURE_WINDOW_MS = 60_000;

    /** One logged-in browser. */
    public record Session(String token, String user, String principal, long createdMs, long lastSeenMs) {
    }

    /** What a login attempt came to. */
    public sealed interface Attempt {
        record LoggedIn(Session session) implements Attempt {
        }

        record Refused() implements Attempt {
        }

        record Throttled(long retryAfterMs) implements Attempt {
        }
    }

    private record Failures(int count, long firstMs) {
    }

    private final Login login;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public Sessions(Login login) {
        this.login = login;
    }

    public Login login() {
        return login;
    }

    public Attempt logIn(String user, String password, long nowMs) {
        Failures f = failures.get(user);
        if (f != null && f.count() >= MAX_FAILURES && nowMs - f.firstMs() < FAILURE_WINDOW_MS) {
            return new Attempt.Throttled(FAILURE_WINDOW_MS - (nowMs - f.firstMs()));
        }
        Optional<String> principal = login.authenticate(user, password);
        if (principal.isEmpty()) {
            failures.compute(user, (u, old) -> old == null || nowMs - old.firstMs() >= FAILURE_WINDOW_MS
                ? new Failures(1, nowMs) : new Failures(old.count() + 1, old.firstMs()));
            return new Attempt.Refused();
        }
        failures.remove(user);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), user, principal.get(), nowMs, nowMs);
        expire(nowMs);
        while (byToken.size() >= MAX_SESSIONS) {
            byToken.values().stream().min(java.util.Comparator.comparingLong(Session::lastSeenMs))
                .ifPresent(oldest -> byToken.remove(oldest.token()));
        }
        byToken.put(s.token(), s);
        return new Attempt.LoggedIn(s);
    }

    /** The live session of {@code token}, its last use moved to now; empty for an unknown or expired token. */
    public Optional<Session> touch(String token, long nowMs) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        if (nowMs - s.lastSeenMs() > IDLE_MS || nowMs - s.createdMs() > MAX_AGE_MS) {
            byToken.remove(token);
            return Optional.empty();
        }
        Session seen = new Session(s.token(), s.user(), s.principal(), s.createdMs(), nowMs);
        byToken.replace(token, s, seen);
        return Optional.of(seen);
    }

    /** Whether {@code token} names a live session (without counting this as a use). */
    public boolean isLive(String token, long nowMs) {
        Session s = token == null ? null : byToken.get(token);
        return s != null && nowMs - s.lastSeenMs() <= IDLE_MS && nowMs - s.createdMs() <= MAX_AGE_MS;
    }

    public void logOut(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    private void expire(long nowMs) {
        byToken.values().removeIf(s -> nowMs - s.lastSeenMs() > IDLE_MS || nowMs - s.createdMs() > MAX_AGE_MS);
        failures.values().removeIf(f -> nowMs - f.firstMs() >= FAILURE_WINDOW_MS);
    }
}
