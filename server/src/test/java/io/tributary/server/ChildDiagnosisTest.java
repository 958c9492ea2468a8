package io.tributary.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The child-JVM fixtures' failure text: the log's end and, while the child runs, its start-up thread's stack first. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildDiagnosisTest {
    /** Stands in for a broker stuck in its start: logs, then blocks in a recognisable method until it is killed. */
    public static final class StuckChild {
        public static void main(String[] args) throws IOException {
            for (int line = 1; line < 50; line++) {
                System.out.println("log line " + line);
            }
            waitingForTheQuorum();
        }

        private static void waitingForTheQuorum() throws IOException {
            System.out.println("log line 50");
            System.out.flush();
            System.in.read(); // the parent never writes: blocked here, in this frame, until destroyed
        }
    }

    @Test
    void aStuckChildIsDescribedByItsLogsEndAndItsMainThreadsStack(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("broker-1.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx32m", "-cp", System.getProperty("java.class.path"), StuckChild.class.getName())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // the last line is printed inside waitingForTheQuorum, so from then on the main thread is in that frame
            Await.until("the child waits for the quorum", Duration.ofSeconds(30), () -> logContains(log, "log line 50"));
            String diagnosis = ChildDiagnosis.of(child, log);
            assertThat(diagnosis).contains("log line 50").contains("log line 11").doesNotContain("log line 10\n");
            assertThat(diagnosis).contains("\"main\"").contains("waitingForTheQuorum");
            assertThat(diagnosis.indexOf("\"main\"")).isLessThan(diagnosis.indexOf("\"Reference Handler\""));
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ChildDiagnosis.of(child, log)).contains("the process has exited with");
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
