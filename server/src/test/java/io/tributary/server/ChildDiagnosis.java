package io.tributary.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a child-JVM broker that did not start in time was doing: the end of its log and its threads' stacks (taken with
 * {@code jcmd Thread.print} while it still runs). A fixture puts this in its failure message, because the child's
 * files live in a temporary directory that is gone by the time anyone reads a CI log.
 */
public final class ChildDiagnosis {
    private static final int LOG_LINES = 40;
    private static final int DUMP_CHARS = 12_000;

    private ChildDiagnosis() {
    }

    public static String of(Process process, Path log) {
        return logTail(log, LOG_LINES) + threadDump(process, log);
    }

    /** The last {@code count} lines of {@code log}, indented, under a heading naming the file. */
    public static String logTail(Path log, int count) {
        StringBuilder text = new StringBuilder();
        text.append("last ").append(count).append(" lines of ").append(log).append(":\n");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - count), lines.size()).forEach(l -> text.append("  ").append(l).append('\n'));
        } catch (IOException | RuntimeException e) {
            text.append("  (unreadable: ").append(e).append(")\n");
        }
        return text.toString();
    }

    private static String threadDump(Process process, Path log) {
        if (!process.isAlive()) {
            return "the process has exited with " + process.exitValue() + "\n";
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path file = log.resolveSibling(log.getFileName() + ".threads");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!dump.waitFor(30, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
            }
            String threads = Files.readString(file, StandardCharsets.UTF_8);
            // the start-up thread first: a start that hangs hangs there
            int main = threads.indexOf("\"main\"");
            if (main > 0) {
                threads = threads.substring(main) + "\n" + threads.substring(0, main);
            }
            return "threads (jcmd Thread.print, first " + DUMP_CHARS + " characters):\n"
                + threads.substring(0, Math.min(DUMP_CHARS, threads.length())) + "\n";
        } catch (IOException e) {
            return "no thread dump: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted\n";
        }
    }
}
