package io.tributary.bench.compare;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The harness JVM's own garbage-collection pauses over a measured window: the client (producer, its sender thread, the
 * latency recorder) runs in this JVM, so a pause here delays acknowledgements as a broker's pause would, and must be
 * told apart from it. Every collection the GarbageCollectorMXBeans announce while the window is open is counted, its
 * duration summed and the longest kept. Collectors whose work runs beside the application ("G1 Concurrent GC", ZGC's
 * and Shenandoah's "Cycles") announce cycles, not pauses, and are left out.
 */
public final class HarnessPauses implements AutoCloseable {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private long count;
    private long totalMillis;
    private long maxMillis;

    private HarnessPauses() {
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter && pauses(bean.getName())) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Starts counting now. */
    public static HarnessPauses start() {
        return new HarnessPauses();
    }

    /** Whether a collector of that name stops the application (its announcements are pauses). */
    static boolean pauses(String collector) {
        String name = collector.toLowerCase(Locale.ROOT);
        return !name.contains("concurrent") && !name.contains("cycles");
    }

    private synchronized void collected(Notification notification, Object handback) {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            record(info.getGcInfo().getDuration());
        }
    }

    synchronized void record(long millis) {
        count++;
        totalMillis += millis;
        maxMillis = Math.max(maxMillis, millis);
    }

    /** Stops counting; the figures of the window. */
    public Map<String, Double> stop() {
        close();
        return figures();
    }

    /** The figures so far (milliseconds are the MXBean's resolution). */
    public synchronized Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("harness GC pauses (count)", (double) count);
        figures.put("harness GC pause total (ms)", (double) totalMillis);
        figures.put("harness GC pause max (ms)", (double) maxMillis);
        return figures;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException alreadyRemoved) {
                // close after stop
            }
        }
        emitters.clear();
    }
}
