package io.tributary.console.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Total lag of the groups someone looks at, over the last 15 minutes: a point whenever a group's lag is
 * computed (its page, the group list) and at each sampling tick while its page was viewed in the last
 * {@link #WATCH_MS}. Points older than the window are dropped; groups not viewed for the window are forgotten.
 */
final class LagHistory {
    static final long WINDOW_MS = 15 * 60_000;
    static final long WATCH_MS = 10 * 60_000;

    record Point(long time, long lag) {
    }

    private static final class Series {
        final Deque<Point> points = new ArrayDeque<>();
        volatile long viewedAt;
    }

    private final Map<String, Series> byGroup = new ConcurrentHashMap<>();

    void viewed(String group, long nowMs) {
        byGroup.computeIfAbsent(group, g -> new Series()).viewedAt = nowMs;
    }

    void record(String group, long nowMs, long lag) {
        Series s = byGroup.computeIfAbsent(group, g -> {
            Series fresh = new Series();
            fresh.viewedAt = nowMs - WATCH_MS - 1; // kept for the window, not sampled until its page is viewed
            return fresh;
        });
        synchronized (s) {
            Point last = s.points.peekLast();
            if (last != null && nowMs - last.time() < 500) {
                s.points.pollLast(); // two readings within half a second: keep the newer
            }
            s.points.addLast(new Point(nowMs, lag));
            while (!s.points.isEmpty() && s.points.peekFirst().time() < nowMs - WINDOW_MS) {
                s.points.pollFirst();
            }
        }
    }

    List<Point> points(String group) {
        Series s = byGroup.get(group);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return new ArrayList<>(s.points);
        }
    }

    /** Groups whose page was viewed recently; others are dropped. */
    List<String> watched(long nowMs) {
        byGroup.entrySet().removeIf(e -> e.getValue().viewedAt < nowMs - WINDOW_MS);
        List<String> out = new ArrayList<>();
        byGroup.forEach((g, s) -> {
            if (s.viewedAt >= nowMs - WATCH_MS) {
                out.add(g);
            }
        });
        return out;
    }
}
