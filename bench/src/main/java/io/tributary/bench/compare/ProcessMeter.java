package io.tributary.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time and memory from Linux's /proc: user + system time from
 * {@code /proc/<pid>/stat} (fields 14 and 15, in clock ticks), resident and peak resident set size from
 * {@code VmRSS} and {@code VmHWM} in {@code /proc/<pid>/status}. Those count every thread of that one process, not its
 * parent's or children's: a broker's figures must come from the broker JVM itself, which {@link #ofJvm} checks (a
 * launcher script in between would be metered instead, and its CPU is next to nothing).
 */
public final class ProcessMeter {
    /** The kernel's USER_HZ, almost always 100 (Linux's fixed value when getconf fails). */
    private static final long TICKS_PER_SECOND = SystemConfiguration.getconf("CLK_TCK", 100);
    private final long pid;

    public ProcessMeter(long pid) {
        this.pid = pid;
    }

    /**
     * A meter of {@code pid}, which must be a running Java virtual machine: its executable ({@code /proc/<pid>/exe}) is
     * a file named {@code java}.
     *
     * @throws IllegalStateException when it is another program, such as a shell that started the JVM
     */
    public static ProcessMeter ofJvm(long pid) throws IOException {
        Path executable = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
        if (!executable.getFileName().toString().equals("java")) {
            throw new IllegalStateException("process " + pid + " runs " + executable + ", not a JVM: its CPU and memory would "
                + "not be the broker's");
        }
        return new ProcessMeter(pid);
    }

    public long pid() {
        return pid;
    }

    /** CPU seconds (user + system) the process has used so far. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (double) (utime + stime) / TICKS_PER_SECOND;
    }

    public long residentBytes() throws IOException {
        return statusKilobytes("VmRSS:") * 1024;
    }

    public long peakResidentBytes() throws IOException {
        return statusKilobytes("VmHWM:") * 1024;
    }

    private long statusKilobytes(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }
}
