package io.tributary.ops.webconsole;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tributary console}: its refusals are one line and an exit status, like every other command. */
class WebConsoleCommandTest {
    @Test
    void refusesAnUnreachableBrokerAndABadListenerInOneLine() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CommandRun unreachable = CommandRun.of("console", "--bootstrap-server", "127.0.0.1:" + closedPort, "--listener", "127.0.0.1:0");
        assertThat(unreachable.exit()).isEqualTo(Tributary.FAILED);
        assertThat(unreachable.err()).isEqualTo("error: cannot reach broker at 127.0.0.1:" + closedPort + " (connection refused)\n");

        CommandRun badListener = CommandRun.of("console", "--listener", "nowhere");
        assertThat(badListener.exit()).isEqualTo(Tributary.FAILED);
        assertThat(badListener.err()).startsWith("error: --listener takes HOST:PORT, got 'nowhere'").doesNotContain("\tat ");
    }

    @Test
    void helpListsTheOptions() {
        CommandRun help = CommandRun.of("console", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--bootstrap-server").contains("--listener").contains("--read-only")
            .contains("--command-config").contains("--broker-users");
    }
}
