package io.tributary.console.api;

import io.tributary.console.BrokerStats.TrafficTotals;

import java.util.ArrayList;
import java.util.List;

/**
 * The last 15 minutes of cluster traffic as rates per second, one sample per sampling interval, oldest first,
 * kept in a ring of {@code capacity} samples. A rate is the difference of two cumulative readings over the time
 * between them; a counter that went backwards (a restarted broker, a deleted topic) gives 0, not a negative
 * rate; an unknown counter (-1) gives null.
 */
final class TrafficHistory {
    /** One point of the overview charts; null where the console cannot know the value. */
    record Sample(long time, Double messagesIn, Double bytesIn, Double messagesOut, Double bytesOut) {
    }

    private final int capacity;
    private final Sample[] ring;
    private int next;
    private int size;
    private long lastTime = -1;
    private TrafficTotals lastTotals;

    TrafficHistory(int capacity) {
        this.capacity = capacity;
        this.ring = new Sample[capacity];
    }

    synchronized void record(long nowMs, TrafficTotals totals) {
        if (lastTotals != null && nowMs > lastTime) {
            double seconds = (nowMs - lastTime) / 1000.0;
            ring[next] = new Sample(nowMs, rate(lastTotals.recordsIn(), totals.recordsIn(), seconds),
                rate(lastTotals.bytesIn(), totals.bytesIn(), seconds), rate(lastTotals.recordsOut(), totals.recordsOut(), seconds),
                rate(lastTotals.bytesOut(), totals.bytesOut(), seconds));
            next = (next + 1) % capacity;
            size = Math.min(size + 1, capacity);
        }
        lastTime = nowMs;
        lastTotals = totals;
    }

    private static Double rate(long before, long after, double seconds) {
        if (before < 0 || after < 0) {
            return null;
        }
        return Math.max(0, after - before) / seconds;
    }

    synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(ring[(next - size + i + capacity) % capacity]);
        }
        return out;
    }
}
