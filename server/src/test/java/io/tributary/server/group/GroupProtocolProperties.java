package io.tributary.server.group;

import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.schema.Struct;
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
 * checking after every step what must always hold:
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
        CompletableFuture<Struct> join;
        CompletableFuture<Struct> sync;
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
        try (CoordinatorFixture f = CoordinatorFixture.started(Map.of(
                GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, Integer.toString(initialDelayMs)))) {
            new Run(f).play(steps);
        }
    }

    @Provide
    Arbitrary<Integer> delays() {
        return Arbitraries.of(0, 3000);
    }

    private static final class Run {
        final CoordinatorFixture f;
        final Client[] clients = new Client[CLIENTS];
        final Map<Integer, String> leaderOfGeneration = new HashMap<>();
        final List<CompletableFuture<Struct>> all = new ArrayList<>();
        int lastGeneration;

        Run(CoordinatorFixture f) {
            this.f = f;
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = new Client();
            }
        }

        GroupSnapshot group() {
            return f.coordinator.snapshot("g").join();
        }

        CompletableFuture<Struct> send(ApiKey api, int version, Struct request) {
            CompletableFuture<Struct> response = f.send(api, version, request);
            all.add(response);
            return response;
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
                        c.join = send(ApiKey.JOIN_GROUP, 9, Requests.join("g", c.memberId, null, 10_000, 30_000, "consumer",
                            Requests.protocols("range", Requests.subscription("t"))));
                        observe();
                    }
                }
                case SYNC -> {
                    if (c.generation >= 0 && (c.sync == null || c.sync.isDone())) {
                        Map<String, byte[]> assignments = new HashMap<>();
                        if (c.leader) {
                            c.members.forEach(m -> assignments.put(m, m.getBytes(StandardCharsets.UTF_8)));
                        }
                        c.sync = send(ApiKey.SYNC_GROUP, 5, Requests.sync("g", c.generation, c.memberId, null, assignments));
                    }
                }
                case HEARTBEAT -> send(ApiKey.HEARTBEAT, 4, Requests.heartbeat("g", c.generation, c.memberId, null));
                case LEAVE -> {
                    if (!c.memberId.isEmpty()) {
                        send(ApiKey.LEAVE_GROUP, 5, Requests.leave("g", c.memberId, null));
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
            Struct r = f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("g", generation, memberId, "t", partition, offset));
            ErrorCode e = ErrorCode.forCode(r.get(OffsetCommitResponse.TOPICS).get(0)
                .get(OffsetCommitResponse.OffsetCommitResponseTopic.PARTITIONS).get(0)
                .get(OffsetCommitResponse.OffsetCommitResponsePartition.ERROR_CODE));
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
            assertThat(e == ErrorCode.NONE).as("commit by %s in generation %d accepted; group before: %s", memberId, generation, before)
                .isEqualTo(allowed);
            if (e == ErrorCode.NONE) {
                assertThat(after.offset("t", partition)).isEqualTo((long) offset);
            } else {
                assertThat(after == null ? null : after.offsets()).isEqualTo(before == null ? null : before.offsets());
            }
        }

        void observe() {
            for (int i = 0; i < CLIENTS; i++) {
                Client c = clients[i];
                for (int k = 0; k < 4 && c.join != null && c.join.isDone(); k++) {
                    Struct r = c.join.join();
                    c.join = null;
                    ErrorCode e = TestMember.error(r);
                    if (e == ErrorCode.MEMBER_ID_REQUIRED) {
                        c.memberId = r.get(JoinGroupResponse.MEMBER_ID);
                        c.join = send(ApiKey.JOIN_GROUP, 9, Requests.join("g", c.memberId, null, 10_000, 30_000, "consumer",
                            Requests.protocols("range", Requests.subscription("t"))));
                    } else if (e == ErrorCode.NONE) {
                        c.memberId = r.get(JoinGroupResponse.MEMBER_ID);
                        c.generation = r.get(JoinGroupResponse.GENERATION_ID);
                        String leader = r.get(JoinGroupResponse.LEADER);
                        c.leader = c.memberId.equals(leader);
                        List<String> members = new ArrayList<>();
                        r.get(JoinGroupResponse.MEMBERS).forEach(m -> members.add(m.get(JoinGroupResponse.JoinGroupResponseMember.MEMBER_ID)));
                        c.members = members;
                        String previous = leaderOfGeneration.putIfAbsent(c.generation, leader);
                        assertThat(leader).as("leader of generation %d", c.generation).isEqualTo(previous == null ? leader : previous);
                        if (c.leader) {
                            assertThat(members).as("the leader is a member of its generation").contains(c.memberId);
                        }
                    } else if (e == ErrorCode.UNKNOWN_MEMBER_ID) {
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
