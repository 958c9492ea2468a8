package io.tributary.console.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last 15 minutes of each topic's rates, for the topic page's charts: records in per second from the growth of
 * its end offsets (any cluster), and, inside a broker, bytes in, records out and bytes out from the broker's
 * counters. One shared ring of sample times; per topic one {@code float[4 * capacity]} (NaN where unknown), so a
 * thousand topics cost about 3 MB at the default 5 s interval. Rates are differences of two cumulative readings;
 * a counter that went backwards gives 0. Filled only while someone uses the console; {@link #clear} drops it all.
 */
final class TopicRates {
    static final int SERIES = 4; // recordsIn, bytesIn, recordsOut, bytesOut

    private final int capacity;
    private final long[] times;
    private int next;
    private int size;
    private long lastTime = -1;
    private Map<String, long[]> lastTotals = Map.of();
    private final Map<String, float[]> series = new HashMap<>();

    TopicRates(int capacity) {
        this.capacity = capacity;
        this.times = new long[capacity];
    }

    /** One reading per topic: {recordsIn (end-offset sum), bytesIn, recordsOut, bytesOut}, -1 where unknown. */
    synchronized void record(long nowMs, Map<String, long[]> totals) {
        if (lastTime >= 0 && nowMs > lastTime) {
            double seconds = (nowMs - lastTime) / 1000.0;
            int slot = next;
            times[slot] = nowMs;
            series.keySet().retainAll(totals.keySet()); // deleted topics go
            totals.forEach((topic, now) -> {
                float[] s = series.computeIfAbsent(topic, t -> {
                    float[] fresh = new float[SERIES * capacity];
                    java.util.Arrays.fill(fresh, Float.NaN);
                    return fresh;
                });
                long[] before = lastTotals.get(topic);
                for (int i = 0; i < SERIES; i++) {
                    s[slot * SERIES + i] = before == null || before[i] < 0 || now[i] < 0 ? Float.NaN
                        : (float) (Math.max(0, now[i] - before[i]) / seconds);
                }
            });
            next = (next + 1) % capacity;
            size = Math.min(size + 1, capacity);
        }
        lastTime = nowMs;
        lastTotals = Map.copyOf(totals);
    }

    /** Records in per second of {@code topic} over the last interval, or null before two readings. */
    synchronized Double recordsInRate(String topic) {
        float[] s = series.get(topic);
        if (s == null || size == 0) {
            return null;
        }
        float v = s[((next - 1 + capacity) % capacity) * SERIES];
        return Float.isNaN(v) ? null : (double) v;
    }

    /** {@code topic}'s samples, oldest first: {time, recordsIn, bytesIn, recordsOut, bytesOut}, null where unknown. */
    synchronized List<Map<String, Object>> samples(String topic) {
        float[] s = series.get(topic);
        List<Map<String, Object>> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        String[] names = {"recordsIn", "bytesIn", "recordsOut", "bytesOut"};
        for (int k = 0; k < size; k++) {
            int slot = (next - size + k + capacity) % capacity;
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("time", times[slot]);
            for (int i = 0; i < SERIES; i++) {
                float v = s[slot * SERIES + i];
                point.put(names[i], Float.isNaN(v) ? null : (double) v);
            }
            out.add(point);
        }
        return out;
    }

    synchronized void clear() {
        series.clear();
        lastTotals = Map.of();
        lastTime = -1;
        size = 0;
        next = 0;
    }
}
