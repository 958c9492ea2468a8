package io.tributary.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's view of one measured window, from Linux's /proc: dirty and write-back memory sampled every
 * {@code period} ({@code /proc/meminfo} Dirty and Writeback in kB; {@code /proc/vmstat} nr_dirty and nr_writeback in
 * pages) and reported as max and mean; write-back counters as their change over the window ({@code nr_dirtied},
 * {@code nr_written}, and the throttling ones, {@code nr_throttled_written}, {@code pgscan_direct_throttle}); CPU and
 * I/O pressure ({@code /proc/pressure/*}: "some avg10=.. total=µs") as the share of the window some task waited and the
 * largest avg10 seen; and for one process (the broker) the context switches of all its threads
 * ({@code /proc/PID/task/TID/status}, voluntary = it blocked, involuntary = it was preempted) and its write syscalls
 * and bytes sent to storage ({@code /proc/PID/io}), as rates over the window.
 *
 * <p>A file that does not exist (no PSI in this kernel, another OS, a process that has gone) gives no figure rather
 * than an error: the probe is evidence beside a benchmark, never a reason for it to fail. Threads that start during
 * the window count from zero; those that end during it are lost (the kernel folds them into no sibling).
 */
public final class HostProbe implements AutoCloseable {
    /** Pressure stall information of one resource: the "some" line (any task waiting) and the "full" one. */
    record Pressure(double someAvg10, long someTotalMicros, double fullAvg10, long fullTotalMicros) {
    }

    /** One thread's context switches so far; {@code tid} 0 when not known. */
    record Switches(long tid, String thread, long voluntary, long involuntary) {
        Switches named(String name) {
            return new Switches(tid, name, voluntary, involuntary);
        }
    }

    static final List<String> VMSTAT_GAUGES = List.of("nr_dirty", "nr_writeback");
    static final List<String> VMSTAT_COUNTERS = List.of("nr_dirtied", "nr_written", "nr_throttled_written", "pgscan_direct_throttle");

    private final Path proc;
    private final long pid;
    private final long pageBytes;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> vmstatAtStart;
    private final Map<String, Pressure> pressureAtStart = new HashMap<>();
    private final Map<Long, Switches> switchesAtStart;
    private final Map<String, Long> ioAtStart;
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final ScheduledExecutorService sampler;
    private Map<Long, Switches> switchesAtEnd = Map.of();
    private double seconds;

    private HostProbe(Path proc, long pid, Duration period, long pageBytes) {
        this.proc = proc;
        this.pid = pid;
        this.pageBytes = pageBytes;
        this.vmstatAtStart = readOr(proc.resolve("vmstat"), HostProbe::keyValues);
        for (String resource : List.of("cpu", "io")) {
            Pressure p = readOr(proc.resolve("pressure").resolve(resource), HostProbe::pressure);
            if (p != null) {
                pressureAtStart.put(resource, p);
            }
        }
        this.switchesAtStart = switches(proc, pid);
        this.ioAtStart = readOr(proc.resolve(Long.toString(pid)).resolve("io"), HostProbe::keyValues);
        sample();
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-host-probe");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts sampling now.
     *
     * @param proc the /proc to read (a fixture directory in tests)
     * @param pid  the process whose threads and I/O are counted
     */
    public static HostProbe start(Path proc, long pid, Duration period) {
        return new HostProbe(proc, pid, period, PhysicalPage.BYTES);
    }

    /** Stops sampling and gives the window's figures, by name with their unit; see the class comment. */
    public synchronized Map<String, Double> stop() {
        if (!sampler.isShutdown()) {
            sampler.shutdownNow();
            sample();
            seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
            switchesAtEnd = switches(proc, pid);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        gauge(figures, "Dirty", "host Dirty", 1.0 / 1024, "MiB");
        gauge(figures, "Writeback", "host Writeback", 1.0 / 1024, "MiB");
        for (String g : VMSTAT_GAUGES) {
            List<Double> values = samples.get("vmstat " + g);
            if (values != null && !values.isEmpty()) {
                figures.put("host " + g + " max (pages)", max(values));
            }
        }
        Long background = vmstatAtStart.get("nr_dirty_background_threshold");
        if (background != null) {
            figures.put("host dirty background threshold (MiB)", background * pageBytes / 1048576.0);
        }
        Map<String, Long> vmstatAtEnd = readOr(proc.resolve("vmstat"), HostProbe::keyValues);
        for (String c : VMSTAT_COUNTERS) {
            if (vmstatAtStart.containsKey(c) && vmstatAtEnd.containsKey(c)) {
                // nr_dirtied and nr_written count pages; the throttling counters count pages or scans alike, per second here.
                String unit = c.startsWith("pgscan") ? " (/s)" : " (pages/s)";
                figures.put("host " + c + unit, (vmstatAtEnd.get(c) - vmstatAtStart.get(c)) / seconds);
            }
        }
        for (String resource : List.of("cpu", "io")) {
            Pressure before = pressureAtStart.get(resource);
            Pressure after = readOr(proc.resolve("pressure").resolve(resource), HostProbe::pressure);
            String name = resource.toUpperCase(Locale.ROOT);
            if (before != null && after != null) {
                figures.put("host " + name + " pressure some (% of window)", (after.someTotalMicros() - before.someTotalMicros()) / 1e4 / seconds);
            }
            List<Double> avg10 = samples.get("pressure " + resource);
            if (avg10 != null && !avg10.isEmpty()) {
                figures.put("host " + name + " pressure some avg10 max (%)", max(avg10));
            }
        }
        if (!switchesAtEnd.isEmpty()) {
            long voluntary = 0;
            long involuntary = 0;
            for (Map.Entry<Long, Switches> e : switchesAtEnd.entrySet()) {
                Switches before = switchesAtStart.getOrDefault(e.getKey(), new Switches(e.getKey(), "", 0, 0));
                voluntary += e.getValue().voluntary() - before.voluntary();
                involuntary += e.getValue().involuntary() - before.involuntary();
            }
            figures.put("broker voluntary context switches (/s)", voluntary / seconds);
            figures.put("broker involuntary context switches (/s)", involuntary / seconds);
        }
        Map<String, Long> ioAtEnd = readOr(proc.resolve(Long.toString(pid)).resolve("io"), HostProbe::keyValues);
        if (ioAtStart.containsKey("syscw") && ioAtEnd.containsKey("syscw")) {
            figures.put("broker write syscalls (/s)", (ioAtEnd.get("syscw") - ioAtStart.get("syscw")) / seconds);
        }
        if (ioAtStart.containsKey("write_bytes") && ioAtEnd.containsKey("write_bytes")) {
            figures.put("broker bytes sent to storage (MB/s)", (ioAtEnd.get("write_bytes") - ioAtStart.get("write_bytes")) / 1e6 / seconds);
        }
        return figures;
    }

    /**
     * The broker's threads with the most context switches over the window, most involuntary first: a thread that is
     * preempted often (involuntary) waited for a core, one that blocks often (voluntary) waited for work or a lock.
     */
    public synchronized List<Switches> busiestThreads(int limit) {
        List<Switches> deltas = new ArrayList<>();
        switchesAtEnd.forEach((tid, after) -> {
            Switches before = switchesAtStart.getOrDefault(tid, new Switches(tid, after.thread(), 0, 0));
            deltas.add(new Switches(tid, after.thread(), after.voluntary() - before.voluntary(), after.involuntary() - before.involuntary()));
        });
        deltas.sort((a, b) -> a.involuntary() != b.involuntary() ? Long.compare(b.involuntary(), a.involuntary())
            : Long.compare(b.voluntary(), a.voluntary()));
        return deltas.subList(0, Math.min(limit, deltas.size()));
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void sample() {
        Map<String, Long> meminfo = readOr(proc.resolve("meminfo"), HostProbe::keyValues);
        add("Dirty", meminfo.get("Dirty"));
        add("Writeback", meminfo.get("Writeback"));
        Map<String, Long> vmstat = readOr(proc.resolve("vmstat"), HostProbe::keyValues);
        VMSTAT_GAUGES.forEach(g -> add("vmstat " + g, vmstat.get(g)));
        for (String resource : List.of("cpu", "io")) {
            Pressure p = readOr(proc.resolve("pressure").resolve(resource), HostProbe::pressure);
            if (p != null) {
                samples.computeIfAbsent("pressure " + resource, k -> new ArrayList<>()).add(p.someAvg10());
            }
        }
    }

    private void add(String name, Long value) {
        if (value != null) {
            samples.computeIfAbsent(name, k -> new ArrayList<>()).add(value.doubleValue());
        }
    }

    private void gauge(Map<String, Double> figures, String sample, String name, double scale, String unit) {
        List<Double> values = samples.get(sample);
        if (values != null && !values.isEmpty()) {
            figures.put(name + " max (" + unit + ")", max(values) * scale);
            figures.put(name + " mean (" + unit + ")", values.stream().mapToDouble(Double::doubleValue).average().orElse(0) * scale);
        }
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * "Key: 123 kB" (meminfo), "key 123" (vmstat) and "key: 123" (/proc/PID/io) lines as key to number; units are
     * dropped (meminfo's are all kB) and lines without a whole number are skipped.
     */
    static Map<String, Long> keyValues(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("[:\\s]+");
            if (parts.length >= 2) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException notANumber) {
                    // a line of another shape, e.g. a header
                }
            }
        }
        return values;
    }

    /** A /proc/pressure file, "some avg10=1.25 avg60=.. avg300=.. total=123" then the same for "full"; null without "some". */
    static Pressure pressure(String text) {
        Map<String, Map<String, String>> lines = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            lines.put(parts[0], fields);
        }
        Map<String, String> some = lines.get("some");
        if (some == null || !some.containsKey("avg10") || !some.containsKey("total")) {
            return null;
        }
        Map<String, String> full = lines.getOrDefault("full", Map.of());
        return new Pressure(Double.parseDouble(some.get("avg10")), Long.parseLong(some.get("total")),
            Double.parseDouble(full.getOrDefault("avg10", "0")), Long.parseLong(full.getOrDefault("total", "0")));
    }

    /** voluntary_ctxt_switches and nonvoluntary_ctxt_switches of one /proc/.../status, with its Name and Pid (the thread's id). */
    static Switches switches(String status) {
        Map<String, Long> values = keyValues(status);
        String name = "";
        for (String line : status.split("\n")) {
            if (line.startsWith("Name:")) {
                name = line.substring(5).trim();
            }
        }
        return new Switches(values.getOrDefault("Pid", 0L), name, values.getOrDefault("voluntary_ctxt_switches", 0L),
            values.getOrDefault("nonvoluntary_ctxt_switches", 0L));
    }

    /** Every thread of {@code pid} by thread id; empty when the process (or /proc) is not there. */
    private static Map<Long, Switches> switches(Path proc, long pid) {
        Map<Long, Switches> threads = new HashMap<>();
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return threads;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path dir : dirs) {
                try {
                    threads.put(Long.parseLong(dir.getFileName().toString()), switches(Files.readString(dir.resolve("status"))));
                } catch (NoSuchFileException | NumberFormatException ended) {
                    // the thread ended while the directory was listed
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return threads;
    }

    private static <T> T readOr(Path file, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(Files.readString(file));
        } catch (IOException | RuntimeException absent) {
            T empty = parse.apply("");
            return empty;
        }
    }

    /** The kernel's page size, asked of getconf once; 4 KiB (x86-64's and most arm64 kernels') when that fails. */
    static final class PhysicalPage {
        static final long BYTES = SystemConfiguration.getconf("PAGESIZE", 4096);
    }
}
