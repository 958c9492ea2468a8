package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.clients.admin.AdminTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An unreachable cluster: operations retry until their deadline and then say what they were doing and why it failed. */
class AdminDeadlineTest {

    /** A port nothing listens on: bound, then closed. */
    private static int refusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anOperationAgainstARefusedPortTimesOutNamingItAndTheLastError() throws Exception {
        int port = refusedPort();
        try (TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port,
            "default.api.timeout.ms", "800", "retry.backoff.ms", "20", "reconnect.backoff.ms", "20"))) {
            long start = System.nanoTime();
            Throwable error = failure(admin.listTopics());
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(error).isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("Listing topics did not complete within 800 ms (default.api.timeout.ms); last error: ")
                .hasMessageContaining("127.0.0.1:" + port);
            assertThat(tookMs).isBetween(700L, 5_000L);

            Throwable group = failure(admin.describeGroup("g"));
            assertThat(group).isInstanceOf(TimeoutException.class).hasMessageStartingWith("Describing group 'g' did not complete");

            assertThatThrownBy(() -> admin.await(admin.deleteTopic("t"))).isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("Deleting topics [t] did not complete within 800 ms");
        }
    }

    @Test
    void operationsStartedWhileTheBrokerIsDownSucceedOnceItIsBack() throws Exception {
        try (BrokerFixture broker = new BrokerFixture(AdminTestSupport.BROKER);
             TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", broker.bootstrap(),
                 "default.api.timeout.ms", "20000", "retry.backoff.ms", "20", "retry.backoff.max.ms", "200",
                 "reconnect.backoff.ms", "20", "reconnect.backoff.max.ms", "200"))) {
            admin.await(admin.createTopic(NewTopic.of("survivor", 2)));
            admin.await(admin.alterCommittedOffsets("steady", Map.of(new TopicPartition("survivor", 1), CommittedOffset.of(0))).all());

            broker.broker().close();
            CompletableFuture<List<TopicListing>> listed = admin.listTopics();
            CompletableFuture<Map<TopicPartition, CommittedOffset>> committed = admin.listCommittedOffsets("steady");
            long before = admin.retries();
            Await.until("both operations have failed an attempt and are retrying", Duration.ofSeconds(10),
                () -> admin.retries() >= before + 2);
            assertThat(listed).isNotDone();
            assertThat(committed).isNotDone();
            broker.start();

            assertThat(AdminTestSupport.await(listed)).extracting(TopicListing::name).contains("survivor");
            assertThat(AdminTestSupport.await(committed)).isEqualTo(Map.of(new TopicPartition("survivor", 1), CommittedOffset.of(0)));
        }
    }

    @Test
    void pendingOperationsFailWhenTheAdminCloses() throws Exception {
        TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", "127.0.0.1:" + refusedPort(),
            "default.api.timeout.ms", "30000"));
        var pending = admin.listTopics();
        admin.close();
        // Whichever comes first: the network client failing the request, or the admin abandoning the call.
        assertThat(failure(pending)).isNotInstanceOf(TimeoutException.class).hasMessageContaining("closed");
        assertThat(failure(admin.listTopics())).hasMessageStartingWith("The admin client closed before Listing topics completed");
    }

    @Test
    void invalidSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> TributaryAdmin.create(Map.of("bootstrap.servers", "localhost:9092", "default.api.timeout.ms", "-1")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("default.api.timeout.ms").hasMessageContaining("-1");
        assertThatThrownBy(() -> TributaryAdmin.create(Map.of())).isInstanceOf(ConfigException.class)
            .hasMessageContaining("bootstrap.servers");
    }
}
