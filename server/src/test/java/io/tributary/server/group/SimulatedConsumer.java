package io.tributary.server.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A Kafka consumer's side of the classic protocol, as {@code ConsumerCoordinator} plays it, with one of Kafka's
 * real assignors (from kafka-clients, test scope): subscriptions carry the owned partitions and generation,
 * the leader runs the assignor on the members' decoded subscriptions, eager members give up everything
 * before rejoining, cooperative members give up only what the new assignment revokes and then rejoin, which
 * is how the second rebalance of an incremental rebalance is triggered by the client.
 *
 * <p>Non-blocking: {@link #step()} advances the member's protocol state machine by what has completed, so
 * tests can drive many members from one thread against a synchronous or a threaded coordinator.
 */
public final class SimulatedConsumer {
    public interface Transport {
        CompletableFuture<Struct> send(ApiKey api, int version, Struct request);
    }

    public enum Phase { NEEDS_JOIN, JOINING, SYNCING, STABLE, LEFT }

    private final Transport transport;
    private final String group;
    private final List<String> topics;
    private final ConsumerPartitionAssignor assignor;
    private final Cluster cluster;
    private final int sessionTimeoutMs;
    public String memberId = "";
    public int generation = -1;
    public Phase phase = Phase.NEEDS_JOIN;
    public Set<TopicPartition> owned = new HashSet<>();
    public int rebalancesJoined;
    private CompletableFuture<Struct> pending;
    private boolean leader;

    public SimulatedConsumer(Transport transport, String group, List<String> topics, ConsumerPartitionAssignor assignor,
                             Cluster cluster, int sessionTimeoutMs) {
        this.transport = transport;
        this.group = group;
        this.topics = topics;
        this.assignor = assignor;
        this.cluster = cluster;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    private boolean cooperative() {
        return assignor.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE);
    }

    private byte[] subscription() {
        Subscription s = new Subscription(topics, assignor.subscriptionUserData(new HashSet<>(topics)),
            new ArrayList<>(owned), generation, Optional.empty());
        ByteBuffer b = ConsumerProtocol.serializeSubscription(s);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    /** Advances by whatever has completed; returns true if anything changed. */
    public boolean step() {
        switch (phase) {
            case NEEDS_JOIN -> {
                if (!cooperative()) {
                    owned = new HashSet<>(); // eager: revoke everything before joining
                }
                pending = transport.send(ApiKey.JOIN_GROUP, 9, Requests.join(group, memberId, null, sessionTimeoutMs, 60_000,
                    "consumer", Requests.protocols(assignor.name(), subscription())));
                phase = Phase.JOINING;
                return true;
            }
            case JOINING -> {
                if (!pending.isDone()) {
                    return false;
                }
                Struct r = pending.join();
                ErrorCode e = TestMember.error(r);
                if (e == ErrorCode.MEMBER_ID_REQUIRED) {
                    memberId = r.get(JoinGroupResponse.MEMBER_ID);
                    phase = Phase.NEEDS_JOIN;
                    return true;
                }
                if (e != ErrorCode.NONE) {
                    if (e == ErrorCode.UNKNOWN_MEMBER_ID || e == ErrorCode.ILLEGAL_GENERATION) {
                        memberId = "";
                        generation = -1;
                    }
                    phase = Phase.NEEDS_JOIN;
                    return true;
                }
                rebalancesJoined++;
                memberId = r.get(JoinGroupResponse.MEMBER_ID);
                generation = r.get(JoinGroupResponse.GENERATION_ID);
                leader = memberId.equals(r.get(JoinGroupResponse.LEADER));
                Map<String, byte[]> assignments = leader ? assign(r) : Map.of();
                pending = transport.send(ApiKey.SYNC_GROUP, 5, Requests.sync(group, generation, memberId, null, assignments)
                    .set(io.tributary.protocol.message.group.SyncGroupRequest.PROTOCOL_TYPE, "consumer")
                    .set(io.tributary.protocol.message.group.SyncGroupRequest.PROTOCOL_NAME, assignor.name()));
                phase = Phase.SYNCING;
                return true;
            }
            case SYNCING -> {
                if (!pending.isDone()) {
                    return false;
                }
                Struct r = pending.join();
                if (TestMember.error(r) != ErrorCode.NONE) {
                    phase = Phase.NEEDS_JOIN;
                    return true;
                }
                Assignment assignment = ConsumerProtocol.deserializeAssignment(r.get(SyncGroupResponse.ASSIGNMENT).duplicate());
                Set<TopicPartition> assigned = new HashSet<>(assignment.partitions());
                Set<TopicPartition> revoked = new HashSet<>(owned);
                revoked.removeAll(assigned);
                owned = assigned;
                assignor.onAssignment(assignment, new ConsumerGroupMetadata(group, generation, memberId, Optional.empty()));
                // a cooperative member that gave partitions up asks for another rebalance so they can move
                phase = cooperative() && !revoked.isEmpty() ? Phase.NEEDS_JOIN : Phase.STABLE;
                return true;
            }
            case STABLE -> {
                Struct r = transport.send(ApiKey.HEARTBEAT, 4, Requests.heartbeat(group, generation, memberId, null)).join();
                ErrorCode e = TestMember.error(r);
                if (e == ErrorCode.REBALANCE_IN_PROGRESS) {
                    phase = Phase.NEEDS_JOIN;
                    return true;
                }
                if (e != ErrorCode.NONE) {
                    memberId = "";
                    generation = -1;
                    owned = new HashSet<>();
                    phase = Phase.NEEDS_JOIN;
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private Map<String, byte[]> assign(Struct joinResponse) {
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        for (Struct m : joinResponse.get(JoinGroupResponse.MEMBERS)) {
            subscriptions.put(m.get(JoinGroupResponse.JoinGroupResponseMember.MEMBER_ID),
                ConsumerProtocol.deserializeSubscription(m.get(JoinGroupResponse.JoinGroupResponseMember.METADATA).duplicate()));
        }
        Map<String, Assignment> assigned = assignor.assign(cluster, new GroupSubscription(subscriptions)).groupAssignment();
        Map<String, byte[]> out = new HashMap<>();
        assigned.forEach((member, a) -> {
            ByteBuffer b = ConsumerProtocol.serializeAssignment(a);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.put(member, bytes);
        });
        return out;
    }

    /** Leaves the group (LeaveGroup v5) and gives up everything. */
    public void leave() {
        transport.send(ApiKey.LEAVE_GROUP, 5, Requests.leave(group, memberId, null)).join();
        owned = new HashSet<>();
        phase = Phase.LEFT;
    }

    /** The JoinGroup or SyncGroup in flight, or null. */
    public CompletableFuture<Struct> inFlight() {
        return phase == Phase.JOINING || phase == Phase.SYNCING ? pending : null;
    }

    public boolean isLeader() {
        return leader;
    }
}
