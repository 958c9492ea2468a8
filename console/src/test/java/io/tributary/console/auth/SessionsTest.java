package io.tributary.console.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions: a token per login, idle and absolute expiry, logout, and throttled guessing per user name. */
class SessionsTest {
    private static final Login ONE_USER = new Login() {
        @Override
        public Optional<String> authenticate(String user, String password) {
            return user.equals("alice") && password.equals("secret") ? Optional.of("User:alice") : Optional.empty();
        }

        @Override
        public String source() {
            return "a test";
        }
    };

    private static Sessions.Session loggedIn(Sessions sessions, long now) {
        Sessions.Attempt a = sessions.logIn("alice", "secret", now);
        assertThat(a).isInstanceOf(Sessions.Attempt.LoggedIn.class);
        return ((Sessions.Attempt.LoggedIn) a).session();
    }

    @Test
    void aSessionLivesWhileUsedAndEndsWhenIdleTooLongOrTooOld() {
        Sessions sessions = new Sessions(ONE_USER);
        Sessions.Session s = loggedIn(sessions, 0);
        assertThat(s.token()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(sessions.touch(s.token(), Sessions.IDLE_MS - 1)).map(Sessions.Session::principal).contains("User:alice");
        assertThat(sessions.touch(s.token(), 2 * Sessions.IDLE_MS - 2)).isPresent(); // each use moves the idle clock
        assertThat(sessions.touch(s.token(), 3 * Sessions.IDLE_MS)).isEmpty();

        Sessions.Session busy = loggedIn(sessions, 0);
        long t = 0;
        for (; t < Sessions.MAX_AGE_MS; t += Sessions.IDLE_MS / 2) {
            assertThat(sessions.touch(busy.token(), t)).isPresent();
        }
        assertThat(sessions.touch(busy.token(), Sessions.MAX_AGE_MS + 1)).isEmpty();

        Sessions.Session out = loggedIn(sessions, 0);
        sessions.logOut(out.token());
        assertThat(sessions.touch(out.token(), 1)).isEmpty();
        assertThat(sessions.touch("made-up", 1)).isEmpty();
        assertThat(sessions.touch(null, 1)).isEmpty();
    }

    @Test
    void fiveWrongPasswordsBlockANameForTheRestOfTheMinute() {
        Sessions sessions = new Sessions(ONE_USER);
        for (int i = 0; i < Sessions.MAX_FAILURES; i++) {
            assertThat(sessions.logIn("alice", "guess" + i, i)).isInstanceOf(Sessions.Attempt.Refused.class);
        }
        Sessions.Attempt blocked = sessions.logIn("alice", "secret", 10_000);
        assertThat(blocked).isInstanceOf(Sessions.Attempt.Throttled.class);
        assertThat(((Sessions.Attempt.Throttled) blocked).retryAfterMs()).isEqualTo(Sessions.FAILURE_WINDOW_MS - 10_000);
        assertThat(sessions.logIn("bob", "x", 10_000)).isInstanceOf(Sessions.Attempt.Refused.class); // other names are not blocked
        assertThat(sessions.logIn("alice", "secret", Sessions.FAILURE_WINDOW_MS)).isInstanceOf(Sessions.Attempt.LoggedIn.class);
    }
}
