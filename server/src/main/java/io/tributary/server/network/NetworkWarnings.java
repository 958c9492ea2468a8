package io.tributary.server.network;

import org.slf4j.Logger;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The network layer's warnings, at most one line per kind ({@link CloseReason}) per interval: a client that sends
 * garbage in a loop must not fill the broker's log (one refused connection is one warning otherwise). The first
 * warning of a kind is written at once; later ones within the interval are counted, and the next line written for
 * the kind says how many were left out.
 *
 * <p>Thread-safe: the event loops of all connections share one instance per listener set; each kind's state is
 * guarded by its own monitor, held only to decide, never while writing.
 */
final class NetworkWarnings {
    static final long DEFAULT_INTERVAL_MS = 10_000;

    private final Logger log;
    private final long intervalMs;
    private final LongSupplier clock;
    private final Map<CloseReason, Window> windows = new EnumMap<>(CloseReason.class);

    /** One kind's interval: when its last line was written and how many were held back since. */
    private static final class Window {
        long lastWrittenMs = Long.MIN_VALUE;
        long suppressed;
    }

    NetworkWarnings(Logger log, long intervalMs, LongSupplier clock) {
        this.log = log;
        this.intervalMs = intervalMs;
        this.clock = clock;
        for (CloseReason reason : CloseReason.values()) {
            windows.put(reason, new Window());
        }
    }

    /**
     * Writes {@code message} (already escaped where it holds client text) as a WARN line unless a line of the
     * same kind was written less than the interval ago, in which case it is only counted.
     */
    void warn(CloseReason kind, String message) {
        if (!log.isWarnEnabled()) {
            return;
        }
        Window window = windows.get(kind);
        long now = clock.getAsLong();
        long suppressed;
        synchronized (window) {
            if (window.lastWrittenMs != Long.MIN_VALUE && now - window.lastWrittenMs < intervalMs) {
                window.suppressed++;
                return;
            }
            suppressed = window.suppressed;
            window.suppressed = 0;
            window.lastWrittenMs = now;
        }
        if (suppressed > 0) {
            log.warn("{} ({} more warnings of this kind ({}) were suppressed since the previous one)", message, suppressed,
                kind.tag);
        } else {
            log.warn(message);
        }
    }
}
