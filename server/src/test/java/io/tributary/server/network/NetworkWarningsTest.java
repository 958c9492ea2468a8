package io.tributary.server.network;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MarkerIgnoringBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkWarningsTest {

    /** Keeps WARN lines as formatted text. */
    static final class Lines extends MarkerIgnoringBase {
        final List<String> warnings = new ArrayList<>();

        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object arg1, Object arg2) { }
        @Override public void trace(String format, Object... arguments) { }
        @Override public void trace(String msg, Throwable t) { }
        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) { }
        @Override public void debug(String format, Object arg) { }
        @Override public void debug(String format, Object arg1, Object arg2) { }
        @Override public void debug(String format, Object... arguments) { }
        @Override public void debug(String msg, Throwable t) { }
        @Override public boolean isInfoEnabled() { return false; }
        @Override public void info(String msg) { }
        @Override public void info(String format, Object arg) { }
        @Override public void info(String format, Object arg1, Object arg2) { }
        @Override public void info(String format, Object... arguments) { }
        @Override public void info(String msg, Throwable t) { }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { warnings.add(msg); }
        @Override public void warn(String format, Object arg) { warn(format, new Object[] {arg}); }
        @Override public void warn(String format, Object arg1, Object arg2) { warn(format, new Object[] {arg1, arg2}); }
        @Override public void warn(String format, Object... arguments) {
            warnings.add(org.slf4j.helpers.MessageFormatter.arrayFormat(format, arguments).getMessage());
        }
        @Override public void warn(String msg, Throwable t) { warnings.add(msg); }
        @Override public boolean isErrorEnabled() { return false; }
        @Override public void error(String msg) { }
        @Override public void error(String format, Object arg) { }
        @Override public void error(String format, Object arg1, Object arg2) { }
        @Override public void error(String format, Object... arguments) { }
        @Override public void error(String msg, Throwable t) { }
    }

    @Test
    void oneLinePerKindPerIntervalAndTheNextSaysHowManyWereLeftOut() {
        Lines lines = new Lines();
        AtomicLong now = new AtomicLong(1_000);
        Logger logger = lines;
        NetworkWarnings warnings = new NetworkWarnings(logger, 10_000, now::get);
        for (int i = 0; i < 100; i++) {
            warnings.warn(CloseReason.MALFORMED_REQUEST, "bad request " + i);
        }
        warnings.warn(CloseReason.FRAME_SIZE, "huge frame");
        now.addAndGet(9_999);
        warnings.warn(CloseReason.MALFORMED_REQUEST, "bad request 100");
        now.addAndGet(1);
        warnings.warn(CloseReason.MALFORMED_REQUEST, "bad request 101");
        warnings.warn(CloseReason.MALFORMED_REQUEST, "bad request 102");

        assertThat(lines.warnings).containsExactly(
            "bad request 0",
            "huge frame",
            "bad request 101 (100 more warnings of this kind (malformed_request) were suppressed since the previous one)");
    }
}
