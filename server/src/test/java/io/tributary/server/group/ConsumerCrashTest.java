package io.tributary.server.group;

import io.tributary.server.Await;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member killed with SIGKILL (a consumer in a child JVM) never sends LeaveGroup: the coordinator notices only
 * when its session times out, and then the other members take its partitions over.
 */
class ConsumerCrashTest {
    private static final int SESSION_TIMEOUT_MS = 2_000;
    private static final int HEARTBEAT_INTERVAL_MS = 300;

    @TempDir
    Path dir;

    private final BrokerFixture fixture = new BrokerFixture(GroupTestSupport.BROKER);

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aKilledMembersPartitionsMoveToTheOthersAfterItsSessionTimeout() throws Exception {
        fixture.broker().logs().createTopic("crash", 6, Map.of());
        Map<String, Object> settings = GroupTestSupport.member(fixture, "survivors");
        try (ChildConsumer child = new ChildConsumer(fixture.bootstrap(), "survivors", "crash", SESSION_TIMEOUT_MS,
                HEARTBEAT_INTERVAL_MS, dir.resolve("child-consumer.log"));
             PolledConsumer a = new PolledConsumer("a", settings, "crash", record -> { }, 0);
             PolledConsumer b = new PolledConsumer("b", settings, "crash", record -> { }, 0)) {
            Await.until("three members with two partitions each", Duration.ofSeconds(60), () -> {
                try {
                    GroupSnapshot group = GroupTestSupport.snapshot(fixture, "survivors");
                    return group != null && group.state() == GroupState.STABLE && group.members().size() == 3
                        && a.assignment().size() == 2 && b.assignment().size() == 2
                        && a.generation() == group.generationId() && b.generation() == group.generationId();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Set<Integer> childs = new TreeSet<>(Set.of(0, 1, 2, 3, 4, 5));
            childs.removeAll(a.partitions());
            childs.removeAll(b.partitions());
            assertThat(childs).hasSize(2);
            ChildConsumer.Assignment reported = child.awaitAssignment(childs.toString(), Duration.ofSeconds(20));
            int generation = a.generation();

            long killedAt = System.nanoTime();
            child.kill();
            Await.until("the two survivors share all six partitions", Duration.ofSeconds(30), () ->
                a.assignment().size() == 3 && b.assignment().size() == 3 && a.generation() == b.generation()
                    && a.generation() > generation);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

            Set<Integer> union = new HashSet<>(a.partitions());
            union.addAll(b.partitions());
            assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            // not before the session could have expired: the last heartbeat was at most one interval before the kill
            assertThat(elapsedMs).isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 100);
            GroupSnapshot group = GroupTestSupport.snapshot(fixture, "survivors");
            assertThat(group.members()).extracting(GroupSnapshot.Member::memberId)
                .containsExactlyInAnyOrder(a.memberId(), b.memberId())
                .doesNotContain(reported.memberId());
            System.out.printf("Killed member's partitions %s moved %d ms after SIGKILL (session timeout %d ms)%n",
                childs, elapsedMs, SESSION_TIMEOUT_MS);
        }
    }
}
