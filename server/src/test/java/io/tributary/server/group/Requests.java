package io.tributary.server.group;

import io.tributary.groups.GroupClient;
import io.tributary.groups.GroupsFixture;
import io.tributary.protocol.message.group.DeleteGroupsRequest;
import io.tributary.protocol.message.group.DescribeGroupsRequest;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.ListGroupsRequest;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.schema.Struct;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Request bodies built with the protocol module, as a Kafka client would send them. */
public final class Requests {
    private Requests() {
    }

    /** A JoinGroup with protocols in order of preference (name -> metadata). */
    public static Struct join(String group, String memberId, String instanceId, int sessionTimeoutMs, int rebalanceTimeoutMs,
                              String protocolType, Map<String, byte[]> protocols) {
        Struct s = JoinGroupRequest.SCHEMA.newStruct()
            .set(JoinGroupRequest.GROUP_ID, group)
            .set(JoinGroupRequest.SESSION_TIMEOUT_MS, sessionTimeoutMs)
            .set(JoinGroupRequest.REBALANCE_TIMEOUT_MS, rebalanceTimeoutMs)
            .set(JoinGroupRequest.MEMBER_ID, memberId)
            .set(JoinGroupRequest.GROUP_INSTANCE_ID, instanceId)
            .set(JoinGroupRequest.PROTOCOL_TYPE, protocolType);
        protocols.forEach((name, metadata) -> s.add(JoinGroupRequest.PROTOCOLS)
            .set(JoinGroupRequest.JoinGroupRequestProtocol.NAME, name)
            .set(JoinGroupRequest.JoinGroupRequestProtocol.METADATA, ByteBuffer.wrap(metadata)));
        return s;
    }

    public static Map<String, byte[]> protocols(Object... nameThenMetadata) {
        return GroupClient.protocols(nameThenMetadata);
    }

    public static Struct sync(String group, int generation, String memberId, String instanceId, Map<String, byte[]> assignments) {
        Struct s = SyncGroupRequest.SCHEMA.newStruct()
            .set(SyncGroupRequest.GROUP_ID, group)
            .set(SyncGroupRequest.GENERATION_ID, generation)
            .set(SyncGroupRequest.MEMBER_ID, memberId)
            .set(SyncGroupRequest.GROUP_INSTANCE_ID, instanceId);
        assignments.forEach((member, bytes) -> s.add(SyncGroupRequest.ASSIGNMENTS)
            .set(SyncGroupRequest.SyncGroupRequestAssignment.MEMBER_ID, member)
            .set(SyncGroupRequest.SyncGroupRequestAssignment.ASSIGNMENT, ByteBuffer.wrap(bytes)));
        return s;
    }

    public static Struct heartbeat(String group, int generation, String memberId, String instanceId) {
        return HeartbeatRequest.SCHEMA.newStruct()
            .set(HeartbeatRequest.GROUP_ID, group)
            .set(HeartbeatRequest.GENERATION_ID, generation)
            .set(HeartbeatRequest.MEMBER_ID, memberId)
            .set(HeartbeatRequest.GROUP_INSTANCE_ID, instanceId);
    }

    /** A v3+ LeaveGroup: pairs of member id and group instance id (either may be null). */
    public static Struct leave(String group, String... memberIdThenInstanceId) {
        Struct s = LeaveGroupRequest.SCHEMA.newStruct().set(LeaveGroupRequest.GROUP_ID, group);
        for (int i = 0; i < memberIdThenInstanceId.length; i += 2) {
            s.add(LeaveGroupRequest.MEMBERS)
                .set(LeaveGroupRequest.MemberIdentity.MEMBER_ID, memberIdThenInstanceId[i] == null ? "" : memberIdThenInstanceId[i])
                .set(LeaveGroupRequest.MemberIdentity.GROUP_INSTANCE_ID, memberIdThenInstanceId[i + 1]);
        }
        return s;
    }

    /** A v0-2 LeaveGroup of one member. */
    public static Struct leaveOne(String group, String memberId) {
        return LeaveGroupRequest.SCHEMA.newStruct().set(LeaveGroupRequest.GROUP_ID, group).set(LeaveGroupRequest.MEMBER_ID, memberId);
    }

    /** An OffsetCommit of offsets by partition of one topic, named (v2-9). */
    public static Struct commit(String group, int generation, String memberId, String topic, Map<Integer, Long> offsets) {
        Struct s = OffsetCommitRequest.SCHEMA.newStruct()
            .set(OffsetCommitRequest.GROUP_ID, group)
            .set(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH, generation)
            .set(OffsetCommitRequest.MEMBER_ID, memberId);
        Struct t = s.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.OffsetCommitRequestTopic.NAME, topic);
        offsets.forEach((p, o) -> t.add(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX, p)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_OFFSET, o)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_METADATA, "m" + o));
        return s;
    }

    public static Struct commit(String group, int generation, String memberId, String topic, int partition, long offset) {
        return commit(group, generation, memberId, topic, Map.of(partition, offset));
    }

    /** A static member's commit (v7+ carry the group instance id). */
    public static Struct commit(String group, int generation, String memberId, String instanceId, String topic, int partition,
                                long offset) {
        return commit(group, generation, memberId, topic, Map.of(partition, offset))
            .set(OffsetCommitRequest.GROUP_INSTANCE_ID, instanceId);
    }

    /** A Kafka consumer's subscription (ConsumerProtocol, as kafka-clients writes it) to these topics. */
    public static byte[] subscription(String... topics) {
        return GroupsFixture.subscription(topics);
    }

    /** An OffsetFetch v1-7 of one group: the partitions of one topic, or everything when topic is null. */
    public static Struct fetch(String group, String topic, int... partitions) {
        Struct s = OffsetFetchRequest.SCHEMA.newStruct().set(OffsetFetchRequest.GROUP_ID, group);
        if (topic == null) {
            s.set(OffsetFetchRequest.TOPICS, null);
        } else {
            s.add(OffsetFetchRequest.TOPICS)
                .set(OffsetFetchRequest.OffsetFetchRequestTopic.NAME, topic)
                .set(OffsetFetchRequest.OffsetFetchRequestTopic.PARTITION_INDEXES, partitions);
        }
        return s;
    }

    /** An OffsetFetch v8+ of several groups, each for everything it committed. */
    public static Struct fetchGroups(List<String> groups) {
        Struct s = OffsetFetchRequest.SCHEMA.newStruct();
        for (String g : groups) {
            s.add(OffsetFetchRequest.GROUPS).set(OffsetFetchRequest.OffsetFetchRequestGroup.GROUP_ID, g)
                .set(OffsetFetchRequest.OffsetFetchRequestGroup.TOPICS, null);
        }
        return s;
    }

    public static Struct findCoordinator(String key, int keyType) {
        return FindCoordinatorRequest.SCHEMA.newStruct().set(FindCoordinatorRequest.KEY, key)
            .set(FindCoordinatorRequest.KEY_TYPE, keyType);
    }

    public static Struct findCoordinators(int keyType, String... keys) {
        return FindCoordinatorRequest.SCHEMA.newStruct().set(FindCoordinatorRequest.COORDINATOR_KEYS, List.of(keys))
            .set(FindCoordinatorRequest.KEY_TYPE, keyType);
    }

    public static Struct describe(String... groups) {
        return DescribeGroupsRequest.SCHEMA.newStruct().set(DescribeGroupsRequest.GROUPS, List.of(groups))
            .set(DescribeGroupsRequest.INCLUDE_AUTHORIZED_OPERATIONS, true);
    }

    public static Struct list(List<String> states, List<String> types) {
        return ListGroupsRequest.SCHEMA.newStruct().set(ListGroupsRequest.STATES_FILTER, states)
            .set(ListGroupsRequest.TYPES_FILTER, types);
    }

    public static Struct deleteGroups(String... groups) {
        return DeleteGroupsRequest.SCHEMA.newStruct().set(DeleteGroupsRequest.GROUPS_NAMES, List.of(groups));
    }

    public static Struct deleteOffsets(String group, String topic, int... partitions) {
        Struct s = OffsetDeleteRequest.SCHEMA.newStruct().set(OffsetDeleteRequest.GROUP_ID, group);
        Struct t = s.add(OffsetDeleteRequest.TOPICS).set(OffsetDeleteRequest.OffsetDeleteRequestTopic.NAME, topic);
        for (int p : partitions) {
            t.add(OffsetDeleteRequest.OffsetDeleteRequestTopic.PARTITIONS).set(OffsetDeleteRequest.OffsetDeleteRequestPartition.PARTITION_INDEX, p);
        }
        return s;
    }
}
