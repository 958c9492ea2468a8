package io.tributary.clients.network;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, as Kafka's clients back off (KIP-580): the wait after the n-th
 * consecutive failure is {@code initial * 2^(n-1)}, capped at {@code max}, then spread by +-20% so clients
 * that failed together do not retry together.
 */
public final class Backoff {
    private static final double JITTER = 0.2;

    private final long initialMs;
    private final long maxMs;

    public Backoff(long initialMs, long maxMs) {
        if (initialMs < 0 || maxMs < 0) {
            throw new IllegalArgumentException("Backoff times must not be negative, got " + initialMs + " and " + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
    }

    /** The wait before the next attempt after {@code failures} consecutive failures (0 gives 0). */
    public long delayMs(int failures) {
        if (failures <= 0 || initialMs == 0) {
            return 0;
        }
        double base = initialMs * Math.pow(2, Math.min(failures - 1, 62));
        double capped = Math.min(base, maxMs);
        double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) Math.min(capped * jitter, maxMs * (1 + JITTER));
    }
}
