package io.tributary.groups;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of joins, syncs, heartbeats, leaves, commits and time by four clients of one group,
 * sent to the coordinator in its own request types, checking after every step what must always hold:
 * <ul>
 *   <li>every JoinGroup answer of one generation names the same leader, which is a member of it;</li>
 *   <li>the generation never goes back, and a generation's answers all carry it;</li>
 *   <li>a Stable group has no member waiting to join or for its assignment, and each member holds what the
 *       leader assigned it;</li>
 *   <li>a commit is accepted only from a current member in the current generation (or with no generation
 *       into an Empty group), and a refused commit changes no offset;</li>
 *   <li>once the clients go quiet, every request is eventually answered.</li>
 * </ul>
 */
class GroupProtocolProperties {
    private static final int CLIENTS = 4;

    enum Kind { JOIN, SYNC, HEARTBEAT, LEAVE, COMMIT, SIMPLE_COMMIT, ADVANCE }

    record Step(Kind kind, int client, int arg) {
    }

    private static final class Client {
        String memberId = "";
        int generation = -1;
        boolean leader;
        List<String> members = List.of();
        CompletableFuture<JoinOutcome> join;
        CompletableFuture<SyncOutcome> sync;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.JOIN)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.SYNC)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.HEARTBEAT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.LEAVE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.COMMIT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.SIMPLE_COMMIT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.ADVANCE))),
            Arbitraries.integers().between(0, CLIENTS - 1),
            Arbitraries.of(0, 1, 100, 2_000, 4_000, 11_000, 31_000)).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(80);
    }

    @Property(tries = 150)
    void theClassicProtocolKeepsItsInvariants(@ForAll("steps") List<Step> steps, @ForAll("delays") int initialDelayMs) {
        try (GroupsFixture f = GroupsFixture.started(Map.of(
                GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, Integer.toString(initialDelayMs)))) {
            new Run(f).play(steps);
        }
    }

    @Provide
    Arbitrary<Integer> delays() {
        return Arbitraries.of(0, 3000);
    }

    private static final class Run {
        final GroupsFixture f;
        final Client[] clients = new Client[CLIENTS];
        final Map<Integer, String> leaderOfGeneration = new HashMap<>();
        final List<CompletableFuture<?>> all = new ArrayList<>();
        int lastGeneration;

        Run(GroupsFixture f) {
            this.f = f;
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = new Client();
            }
        }

        GroupSnapshot group() {
            return f.coordinator.snapshot("g").join();
        }

        <T> CompletableFuture<T> send(CompletableFuture<T> response) {
            all.add(response);
            return response;
        }

        /** A JoinGroup as a v9 client sends it: a first join is told its member id and comes back with it. */
        CompletableFuture<JoinOutcome> join(String memberId) {
            return send(f.coordinator.joinGroup(new JoinGroup("g", memberId, null, "client", "/127.0.0.1", 10_000, 30_000,
                "consumer", List.of(new Protocol("range", GroupsFixture.subscription("t"))), true, true)));
        }

        void play(List<Step> steps) {
            for (Step s : steps) {
                apply(s);
                observe();
                checkInvariants();
            }
            // quiet: nobody acts any more; every parked request must be answered eventually
            for (int i = 0; i < 20; i++) {
                f.time.advance(30_000);
                observe();
                checkInvariants();
            }
            assertThat(all).allMatch(CompletableFuture::isDone, "answered");
        }

        void apply(Step s) {
            Client c = clients[s.client()];
            switch (s.kind()) {
                case JOIN -> {
                    if (c.join == null || c.join.isDone()) {
                        c.join = join(c.memberId);
                        observe();
                    }
                }
                case SYNC -> {
                    if (c.generation >= 0 && (c.sync == null || c.sync.isDone())) {
                        Map<String, byte[]> assignments = new HashMap<>();
                        if (c.leader) {
                            c.members.forEach(m -> assignments.put(m, m.getBytes(StandardCharsets.UTF_8)));
                        }
                        c.sync = send(f.coordinator.syncGroup(new SyncGroup("g", c.memberId, null, c.generation, null, null,
                            assignments)));
                    }
                }
                case HEARTBEAT -> send(f.coordinator.heartbeat(new Heartbeat("g", c.memberId, null, c.generation)));
                case LEAVE -> {
                    if (!c.memberId.isEmpty()) {
                        send(f.coordinator.leaveGroup(new LeaveGroup("g", List.of(new LeaveGroup.Leaving(c.memberId, null)))));
                        c.memberId = "";
                        c.generation = -1;
                    }
                }
                case COMMIT -> commit(c.generation, c.memberId, s.arg());
                case SIMPLE_COMMIT -> commit(-1, "", s.arg());
                case ADVANCE -> f.time.advance(s.arg());
            }
        }

        void commit(int generation, String memberId, int offset) {
            GroupSnapshot before = group();
            int partition = offset % 3;
            CompletableFuture<CommitOutcome> answer = f.coordinator.offsetCommit(new OffsetCommit("g", generation, memberId, null, -1,
                List.of(new OffsetCommit.Topic("t", null, List.of(new OffsetCommit.Partition(partition, offset, -1, "m" + offset))))));
            assertThat(answer).as("a commit is answered at once").isDone();
            GroupError e = answer.join().partitionErrors().get(0).get(0);
            GroupSnapshot after = group();
            boolean allowed;
            if (before == null) {
                allowed = generation < 0;
            } else if (generation < 0 && memberId.isEmpty()) {
                allowed = before.state() == GroupState.EMPTY;
            } else {
                allowed = before.member(memberId) != null && before.generationId() == generation
                    && before.state() != GroupState.COMPLETING_REBALANCE && before.state() != GroupState.DEAD;
            }
            assertThat(e == GroupError.NONE).as("commit by %s in generation %d accepted; group before: %s", memberId, generation, before)
                .isEqualTo(allowed);
            if (e == GroupError.NONE) {
                assertThat(after.offset("t", partition)).isEqualTo((long) offset);
            } else {
                assertThat(after == null ? null : after.offsets()).isEqualTo(before == null ? null : before.offsets());
            }
        }

        void observe() {
            for (int i = 0; i < CLIENTS; i++) {
                Client c = clients[i];
                for (int k = 0; k < 4 && c.join != null && c.join.isDone(); k++) {
                    JoinOutcome r = c.join.join();
                    c.join = null;
                    GroupError e = r.error();
                    if (e == GroupError.MEMBER_ID_REQUIRED) {
                        c.memberId = r.memberId();
                        c.join = join(c.memberId);
                    } else if (e == GroupError.NONE) {
                        c.memberId = r.memberId();
                        c.generation = r.generationId();
                        String leader = r.leaderId();
                        c.leader = c.memberId.equals(leader);
                        List<String> members = new ArrayList<>();
                        r.members().forEach(m -> members.add(m.memberId()));
                        c.members = members;
                        String previous = leaderOfGeneration.putIfAbsent(c.generation, leader);
                        assertThat(leader).as("leader of generation %d", c.generation).isEqualTo(previous == null ? leader : previous);
                        if (c.leader) {
                            assertThat(members).as("the leader is a member of its generation").contains(c.memberId);
                        }
                    } else if (e == GroupError.UNKNOWN_MEMBER_ID) {
                        c.memberId = "";
                        c.generation = -1;
                    }
                }
            }
        }

        void checkInvariants() {
            GroupSnapshot g = group();
            if (g == null) {
                return;
            }
            assertThat(g.generationId()).as("generation never goes back").isGreaterThanOrEqualTo(lastGeneration);
            lastGeneration = g.generationId();
            if (g.leaderId() != null) {
                assertThat(g.member(g.leaderId())).as("the leader is a member").isNotNull();
            }
            if (g.state() == GroupState.STABLE) {
                for (GroupSnapshot.Member m : g.members()) {
                    assertThat(m.awaitingJoin()).as("in Stable nobody waits to join: %s", m.memberId()).isFalse();
                    assertThat(m.awaitingSync()).as("in Stable nobody waits for an assignment: %s", m.memberId()).isFalse();
                    assertThat(new String(m.assignment(), StandardCharsets.UTF_8)).as("assignment of %s", m.memberId())
                        .isEqualTo(m.memberId());
                }
            }
            if (g.state() == GroupState.EMPTY) {
                assertThat(g.members()).isEmpty();
            }
        }
    }
}
