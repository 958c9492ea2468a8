package io.tributary.server.quota;

/**
 * A rate over sliding samples, as Kafka's {@code Rate} over a {@code SampledStat} measures it: {@code samples} samples of
 * {@code windowMs} each; a value goes into the current sample (a new one starts when the current is a window old); a
 * sample older than all the samples together is forgotten. The rate divides the total by the time since the oldest
 * sample started, but by no less than {@code samples - 1} whole windows, so a client's first burst is measured against
 * the full window rather than a few milliseconds. Thread-safe (one client's requests may come over several connections).
 */
final class RateWindow {
    private final long windowMs;
    private final long[] starts;
    private final double[] values;
    private int current;

    RateWindow(int samples, long windowMs, long nowMs) {
        this.windowMs = windowMs;
        this.starts = new long[samples];
        this.values = new double[samples];
        java.util.Arrays.fill(starts, nowMs);
    }

    synchronized void record(double value, long nowMs) {
        purge(nowMs);
        if (nowMs >= starts[current] + windowMs) {
            current = (current + 1) % starts.length;
            starts[current] = nowMs;
            values[current] = 0;
        }
        values[current] += value;
    }

    /** Takes back a value recorded now (a response that was not sent). */
    synchronized void unrecord(double value) {
        values[current] -= value;
    }

    /** The measured window in milliseconds at {@code nowMs}. */
    synchronized long windowSizeMs(long nowMs) {
        purge(nowMs);
        long oldest = Long.MAX_VALUE;
        for (long start : starts) {
            oldest = Math.min(oldest, start);
        }
        long elapsed = nowMs - oldest;
        long fullWindows = elapsed / windowMs;
        long minFullWindows = starts.length - 1;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * windowMs;
        }
        return Math.max(elapsed, 1);
    }

    /** Per second. */
    synchronized double rate(long nowMs) {
        long window = windowSizeMs(nowMs);
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total * 1000.0 / window;
    }

    private void purge(long nowMs) {
        long expireAge = starts.length * windowMs;
        for (int i = 0; i < starts.length; i++) {
            if (nowMs - starts[i] >= expireAge) {
                starts[i] = nowMs;
                values[i] = 0;
            }
        }
    }
}
