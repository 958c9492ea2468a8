package io.tributary.bench.compare;

import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a JVM's time went during given windows (a benchmark's measured windows), from a JDK Flight Recorder file read
 * with {@link RecordingFile}: stop-the-world pauses (jdk.GCPhasePause; safepoints from jdk.SafepointBegin to the
 * jdk.SafepointEnd of the same id, and the time to reach them), threads blocked on a monitor (jdk.JavaMonitorEnter) or
 * parked (jdk.ThreadPark) and file I/O (jdk.FileRead, jdk.FileWrite, jdk.FileForce) by thread, the event-loop threads
 * apart, since a blocked event loop delays every connection it serves; allocation by site (jdk.ObjectAllocationSample
 * weights by allocating frame) and CPU (jdk.CPULoad). An event counts in a window when its span overlaps it.
 *
 * <p>Thread names are grouped with their digits as '#' ("io-#", "data-plane-kafka-request-handler-#"): pools show as
 * one line. Event-loop threads are Tributary's "io-N" and Kafka's network processors and acceptors, see
 * {@link #EVENT_LOOP}.
 */
public final class JfrSummary {
    /** Threads that serve many connections from one selector: a stall there is a stall of every client on it. */
    static final Pattern EVENT_LOOP = Pattern.compile("(?i)^io-[#\\d]+$|network-thread|acceptor|event-?loop|selector");

    /** A span of wall-clock time, e.g. one workload's measured window. */
    public record Window(String name, Instant from, Instant to) {
        boolean overlaps(Instant start, Instant end) {
            return !end.isBefore(from) && start.isBefore(to);
        }
    }

    /** Durations of one kind of event: count, total, max and percentiles. */
    public static final class Durations {
        private long[] nanos = new long[16];
        private int count;
        private long bytes;

        void add(Duration d) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = d.toNanos();
        }

        public int count() {
            return count;
        }

        public double totalMs() {
            long sum = 0;
            for (int i = 0; i < count; i++) {
                sum += nanos[i];
            }
            return sum / 1e6;
        }

        public double maxMs() {
            return percentileMs(100);
        }

        /** The smallest duration at or above {@code p} percent of them (nearest rank); 0 when there are none. */
        public double percentileMs(double p) {
            if (count == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100 * count);
            return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
        }
    }

    /** What one window holds. */
    public static final class WindowSummary {
        private final Window window;
        final Durations gcPauses = new Durations();
        final Durations safepoints = new Durations();
        final Durations timeToSafepoint = new Durations();
        final Map<String, Durations> vmOperations = new TreeMap<>();
        final Map<String, Durations> monitorEnter = new TreeMap<>();
        final Map<String, Durations> park = new TreeMap<>();
        final Map<String, Durations> idlePark = new TreeMap<>();
        final Map<String, Durations> fileIo = new TreeMap<>();
        final Map<String, Long> allocation = new HashMap<>();
        final List<double[]> cpuLoad = new ArrayList<>();

        WindowSummary(Window window) {
            this.window = window;
        }

        public Window window() {
            return window;
        }

        public Durations gcPauses() {
            return gcPauses;
        }

        public Durations safepoints() {
            return safepoints;
        }

        /** Monitor-enter waits by thread group. */
        public Map<String, Durations> monitorEnter() {
            return monitorEnter;
        }

        /** Parks on a lock (see {@link #waitsForWork}), by thread group and the class parked on. */
        public Map<String, Durations> park() {
            return park;
        }

        /** Parks of threads waiting for work: conditions, queues, futures, timed waits. */
        public Map<String, Durations> idlePark() {
            return idlePark;
        }

        /** File I/O by "kind thread-group", e.g. "FileForce io-#". */
        public Map<String, Durations> fileIo() {
            return fileIo;
        }

        /** Sampled allocation weight (bytes) by site. */
        public Map<String, Long> allocation() {
            return allocation;
        }

        /** The headline figures for a comparison table, by name with their unit, prefixed with {@code who}. */
        public Map<String, Double> figures(String who) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put(who + " GC pauses (count)", (double) gcPauses.count());
            f.put(who + " GC pause total (ms)", gcPauses.totalMs());
            f.put(who + " GC pause max (ms)", gcPauses.maxMs());
            f.put(who + " safepoint max (ms)", safepoints.maxMs());
            f.put(who + " safepoint total (ms)", safepoints.totalMs());
            f.put(who + " event-loop monitor+park waits total (ms)", eventLoops(monitorEnter) + eventLoops(park) + eventLoops(idlePark));
            f.put(who + " lock waits, all threads, total (ms)", monitorEnter.values().stream().mapToDouble(Durations::totalMs).sum()
                + park.values().stream().mapToDouble(Durations::totalMs).sum());
            f.put(who + " event-loop file I/O total (ms)", eventLoops(fileIo));
            double force = fileIo.entrySet().stream().filter(e -> e.getKey().startsWith("FileForce"))
                .mapToDouble(e -> e.getValue().totalMs()).sum();
            f.put(who + " fsync (FileForce) total (ms)", force);
            return f;
        }

        private static double eventLoops(Map<String, Durations> byThread) {
            return byThread.entrySet().stream().filter(e -> EVENT_LOOP.matcher(threadOf(lastWord(e.getKey()))).find())
                .mapToDouble(e -> e.getValue().totalMs()).sum();
        }
    }

    private JfrSummary() {
    }

    /**
     * The event settings the recordings use: the JDK's "profile" with the lock, park and file-I/O thresholds lowered to
     * {@code threshold} (profile's 10 ms hides exactly the few-millisecond stalls a p99 of 6 ms is made of) and
     * safepoint ends recorded, so a safepoint's full length is known.
     */
    public static Map<String, String> settings(Duration threshold) throws IOException {
        Map<String, String> settings;
        try {
            settings = new LinkedHashMap<>(Configuration.getConfiguration("profile").getSettings());
        } catch (ParseException e) {
            throw new IOException("the JDK's profile.jfc does not parse", e);
        }
        String t = threshold.toNanos() + " ns";
        for (String event : List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.FileRead", "jdk.FileWrite", "jdk.FileForce")) {
            settings.put(event + "#enabled", "true");
            settings.put(event + "#threshold", t);
        }
        settings.put("jdk.SafepointBegin#enabled", "true");
        settings.put("jdk.SafepointBegin#threshold", "0 ns");
        settings.put("jdk.SafepointEnd#enabled", "true");
        settings.put("jdk.SafepointEnd#threshold", "0 ns");
        settings.put("jdk.GCPhasePause#enabled", "true");
        settings.put("jdk.GCPhasePause#threshold", "0 ns");
        settings.put("jdk.CPULoad#period", "1 s");
        return settings;
    }

    /** {@link #settings} as a .jfc file, for {@code -XX:StartFlightRecording=settings=FILE}. */
    public static void writeSettings(Path file, Duration threshold) throws IOException {
        Map<String, Map<String, String>> byEvent = new TreeMap<>();
        settings(threshold).forEach((key, value) -> {
            int hash = key.indexOf('#');
            if (hash > 0) {
                byEvent.computeIfAbsent(key.substring(0, hash), k -> new TreeMap<>()).put(key.substring(hash + 1), value);
            }
        });
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration version=\"2.0\" label=\"tributary-bench\" description=\"profile, lower thresholds\" provider=\"tributary\">\n");
        byEvent.forEach((event, values) -> {
            xml.append("  <event name=\"").append(escape(event)).append("\">\n");
            values.forEach((name, value) -> xml.append("    <setting name=\"").append(escape(name)).append("\">")
                .append(escape(value)).append("</setting>\n"));
            xml.append("  </event>\n");
        });
        xml.append("</configuration>\n");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Reads {@code recording} once and sums its events into each window they overlap. */
    public static List<WindowSummary> summarise(Path recording, List<Window> windows) throws IOException {
        return summarise(recording, windows, new HashMap<>());
    }

    /**
     * As {@link #summarise(Path, List)}, and fills {@code threadNames} with the Java name of every thread the recording
     * saw, by OS thread id (the kernel keeps only 15 characters of a name, /proc's task directories are by that id).
     */
    public static List<WindowSummary> summarise(Path recording, List<Window> windows, Map<Long, String> threadNames) throws IOException {
        List<WindowSummary> summaries = windows.stream().map(WindowSummary::new).toList();
        Map<Long, RecordedEvent> safepointBegins = new HashMap<>();
        Map<Long, RecordedEvent> safepointEnds = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                RecordedThread thread = e.getThread();
                if (thread != null && thread.getJavaName() != null && thread.getOSThreadId() > 0) {
                    threadNames.putIfAbsent(thread.getOSThreadId(), thread.getJavaName());
                }
                switch (type) {
                    case "jdk.SafepointBegin" -> safepointBegins.put(e.getLong("safepointId"), e);
                    case "jdk.SafepointEnd" -> safepointEnds.put(e.getLong("safepointId"), e);
                    default -> {
                        for (WindowSummary s : summaries) {
                            if (s.window.overlaps(e.getStartTime(), e.getEndTime())) {
                                add(s, type, e);
                            }
                        }
                    }
                }
            }
        }
        safepointBegins.forEach((id, begin) -> {
            RecordedEvent end = safepointEnds.get(id);
            Instant until = end != null ? end.getEndTime() : begin.getEndTime();
            for (WindowSummary s : summaries) {
                if (s.window.overlaps(begin.getStartTime(), until)) {
                    s.safepoints.add(Duration.between(begin.getStartTime(), until));
                    s.timeToSafepoint.add(begin.getDuration());
                }
            }
        });
        return summaries;
    }

    private static void add(WindowSummary s, String type, RecordedEvent e) {
        switch (type) {
            case "jdk.GCPhasePause" -> s.gcPauses.add(e.getDuration());
            case "jdk.ExecuteVMOperation" -> {
                if (e.getBoolean("safepoint")) {
                    s.vmOperations.computeIfAbsent(e.getString("operation"), k -> new Durations()).add(e.getDuration());
                }
            }
            case "jdk.JavaMonitorEnter" -> s.monitorEnter.computeIfAbsent(threadGroup(e) + " on " + className(e, "monitorClass"),
                k -> new Durations()).add(e.getDuration());
            case "jdk.ThreadPark" -> {
                String on = className(e, "parkedClass");
                (waitsForWork(on) ? s.idlePark : s.park).computeIfAbsent(threadGroup(e) + " on " + on, k -> new Durations()).add(e.getDuration());
            }
            case "jdk.FileRead", "jdk.FileWrite", "jdk.FileForce" -> {
                Durations d = s.fileIo.computeIfAbsent(type.substring(4) + " " + threadGroup(e), k -> new Durations());
                d.add(e.getDuration());
                if (e.hasField("bytesRead")) {
                    d.bytes += Math.max(0, e.getLong("bytesRead"));
                } else if (e.hasField("bytesWritten")) {
                    d.bytes += Math.max(0, e.getLong("bytesWritten"));
                }
            }
            case "jdk.ObjectAllocationSample" -> s.allocation.merge(allocationSite(e), e.getLong("weight"), Long::sum);
            case "jdk.CPULoad" -> s.cpuLoad.add(new double[] {e.getFloat("jvmUser"), e.getFloat("jvmSystem"), e.getFloat("machineTotal")});
            default -> {
                // an event this summary does not use
            }
        }
    }

    /**
     * Whether a park on {@code parkedClass} is a thread waiting for work (a condition, a queue, a future, a latch, or a
     * plain timed park with no blocker, as pacing loops do) rather than for a lock another thread holds.
     */
    static boolean waitsForWork(String parkedClass) {
        return parkedClass.equals("?") || parkedClass.contains("ConditionObject") || parkedClass.contains("Queue")
            || parkedClass.contains("Future") || parkedClass.contains("Signaller") || parkedClass.contains("CountDownLatch")
            || parkedClass.contains("Phaser") || parkedClass.contains("Exchanger") || parkedClass.contains("ForkJoinPool");
    }

    /** The thread's name with digit runs as '#', so a pool is one group. */
    static String threadGroup(RecordedEvent e) {
        RecordedThread t = e.getThread();
        String name = t == null ? "?" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    /** "io-# on java.lang.Object" -> "io-#". */
    private static String threadOf(String key) {
        int on = key.indexOf(" on ");
        return on > 0 ? key.substring(0, on) : key;
    }

    private static String className(RecordedEvent e, String field) {
        if (!e.hasField(field) || e.getClass(field) == null) {
            return "?";
        }
        return e.getClass(field).getName();
    }

    /** "byte[] at Arrays.copyOf <- io.tributary.log.Segment.append:120": the class, the allocating frame, the first frame outside the JDK. */
    static String allocationSite(RecordedEvent e) {
        String type = e.hasField("objectClass") && e.getClass("objectClass") != null ? e.getClass("objectClass").getName() : "?";
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
            return type;
        }
        List<RecordedFrame> frames = stack.getFrames();
        String top = frame(frames.get(0));
        for (RecordedFrame f : frames) {
            String owner = f.getMethod().getType().getName();
            if (!owner.startsWith("java.") && !owner.startsWith("jdk.") && !owner.startsWith("sun.")) {
                String app = frame(f);
                return type + " at " + top + (app.equals(top) ? "" : " <- " + app);
            }
        }
        return type + " at " + top;
    }

    private static String frame(RecordedFrame f) {
        String owner = f.getMethod().getType().getName();
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
    }

    /** One recording's windows as Markdown: a section per window with the pauses, waits, file I/O, allocation and CPU. */
    public static String markdown(String title, List<WindowSummary> summaries, Duration threshold) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Monitor, park and file-I/O events at or above %.1f ms only (the recording's threshold); "
            + "thread names with digits as '#'; event-loop threads marked (EL).%n%n", threshold.toNanos() / 1e6));
        for (WindowSummary s : summaries) {
            Window w = s.window;
            md.append("## ").append(w.name()).append(" (").append(w.from()).append(" .. ").append(w.to()).append(")\n\n");
            md.append("| pauses | count | total ms | max ms | p99 ms | p99.9 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
            pauseRow(md, "GC pauses (jdk.GCPhasePause)", s.gcPauses);
            pauseRow(md, "safepoints, begin to end", s.safepoints);
            pauseRow(md, "time to safepoint", s.timeToSafepoint);
            md.append('\n');
            durationTable(md, "VM operations at a safepoint", s.vmOperations, 8);
            durationTable(md, "Monitor enter (blocked on a lock), by thread and monitor class", s.monitorEnter, 15);
            durationTable(md, "Thread park on a lock (not a wait for work), by thread and parked-on class", s.park, 15);
            durationTable(md, "Thread park waiting for work (conditions, queues, futures, timed parks), by thread and parked-on class",
                s.idlePark, 10);
            durationTable(md, "File I/O, by kind and thread", s.fileIo, 15);
            long allocated = s.allocation.values().stream().mapToLong(Long::longValue).sum();
            if (allocated > 0) {
                md.append(String.format(Locale.ROOT, "Allocation by site (sampled weight, %.1f MB in the window):%n%n", allocated / 1e6));
                md.append("| site | MB | share |\n| --- | ---: | ---: |\n");
                s.allocation.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                    .forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f%% |%n", cell(e.getKey()), e.getValue() / 1e6,
                        100.0 * e.getValue() / allocated)));
                md.append('\n');
            }
            if (!s.cpuLoad.isEmpty()) {
                double[] mean = new double[3];
                double[] max = new double[3];
                for (double[] c : s.cpuLoad) {
                    for (int i = 0; i < 3; i++) {
                        mean[i] += c[i] / s.cpuLoad.size();
                        max[i] = Math.max(max[i], c[i]);
                    }
                }
                md.append(String.format(Locale.ROOT, "CPU (jdk.CPULoad, %d samples, share of all cores): JVM user mean %.1f%% max %.1f%%, "
                        + "JVM system mean %.1f%% max %.1f%%, machine total mean %.1f%% max %.1f%%.%n%n", s.cpuLoad.size(),
                    100 * mean[0], 100 * max[0], 100 * mean[1], 100 * max[1], 100 * mean[2], 100 * max[2]));
            }
        }
        return md.toString();
    }

    private static void pauseRow(StringBuilder md, String name, Durations d) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", name, d.count(), d.totalMs(), d.maxMs(),
            d.percentileMs(99), d.percentileMs(99.9)));
    }

    private static void durationTable(StringBuilder md, String title, Map<String, Durations> byKey, int limit) {
        md.append(title).append(":\n\n");
        if (byKey.isEmpty()) {
            md.append("none\n\n");
            return;
        }
        md.append("| thread / kind | count | total ms | max ms | p99 ms | MB |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        byKey.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue().totalMs(), a.getValue().totalMs())).limit(limit)
            .forEach(e -> md.append(String.format(Locale.ROOT, "| %s%s | %d | %.2f | %.2f | %.2f | %.2f |%n", cell(e.getKey()),
                EVENT_LOOP.matcher(threadOf(lastWord(e.getKey()))).find() ? " (EL)" : "", e.getValue().count(),
                e.getValue().totalMs(), e.getValue().maxMs(), e.getValue().percentileMs(99), e.getValue().bytes / 1e6)));
        if (byKey.size() > limit) {
            md.append("| (").append(byKey.size() - limit).append(" more) | | | | | |\n");
        }
        md.append('\n');
    }

    /** Text for a Markdown table cell: a '|' (as in "kafka-producer-network-thread | producer-1") would end the cell. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** "FileForce io-#" -> "io-#"; keys without a kind prefix are returned whole. */
    private static String lastWord(String key) {
        return key.startsWith("File") && key.indexOf(' ') > 0 ? key.substring(key.indexOf(' ') + 1) : key;
    }
}
