package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.protocol.ApiKey;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.ApiVersionsHandler;
import io.tributary.server.network.NetworkServer;
import io.tributary.server.network.RequestObserver;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker coordinates only the groups of the {@code __consumer_offsets} partitions it owns. A whole broker
 * owns all of them, so this test serves the group APIs (the broker's own handlers and network layer) from a
 * coordinator started on partitions 0 and 1 of 4: every API about a group of partition 2 or 3 answers
 * NOT_COORDINATOR (FindCoordinator: COORDINATOR_NOT_AVAILABLE, there being no other broker to name), until the
 * coordinator is elected for that partition.
 */
class NotCoordinatorTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private GroupCoordinator coordinator;
    private ExecutorService io;
    private NetworkServer network;
    private RawKafkaConnection raw;
    private String owned;
    private String foreign;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        coordinator = GroupCoordinator.create(GroupCoordinatorConfig.fromProperties(Map.of(
            GroupCoordinatorConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "4", GroupCoordinatorConfig.THREADS, "1",
            GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "0")), logs);
        coordinator.start(List.of(0, 1)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 1_000 && (owned == null || foreign == null); i++) {
            String group = "group-" + i;
            if (coordinator.partitionFor(group) < 2) {
                owned = owned == null ? group : owned;
            } else {
                foreign = foreign == null ? group : foreign;
            }
        }
        ServerConfig config = ServerConfig.of(Map.of(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0", ServerConfig.NUM_NETWORK_THREADS, "1"));
        ApiDispatcher dispatcher = new ApiDispatcher();
        dispatcher.register(ApiKey.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        int[] port = new int[1];
        GroupApis.register(dispatcher, coordinator, 7, () -> new ServerConfig.Listener("127.0.0.1", port[0]));
        io = Executors.newSingleThreadExecutor();
        network = new NetworkServer(config, dispatcher, io, RequestObserver.NONE);
        port[0] = network.boundAddresses().get(0).getPort();
        raw = RawKafkaConnection.open(port[0]);
    }

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        if (network != null) {
            network.close();
        }
        if (io != null) {
            io.shutdownNow();
        }
        if (coordinator != null) {
            coordinator.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private FindCoordinatorResponseData.Coordinator find(String group) {
        FindCoordinatorResponse response = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
            .setKeyType((byte) 0).setCoordinatorKeys(List.of(group))), (short) 6);
        return response.data().coordinators().get(0);
    }

    private Errors join(String group) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupResponse response = raw.send(new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId(group)
            .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType("consumer")
            .setProtocols(protocols)), (short) 9);
        return response.error();
    }

    @Test
    void everyGroupApiAnswersNotCoordinatorForAGroupOfAPartitionThisCoordinatorDoesNotOwn() throws Exception {
        assertThat(coordinator.owns(coordinator.partitionFor(owned))).isTrue();
        assertThat(coordinator.owns(coordinator.partitionFor(foreign))).isFalse();

        FindCoordinatorResponseData.Coordinator ours = find(owned);
        assertThat(Errors.forCode(ours.errorCode())).isEqualTo(Errors.NONE);
        assertThat(ours.nodeId()).isEqualTo(7);
        assertThat(ours.port()).isEqualTo(network.boundAddresses().get(0).getPort());
        assertThat(Errors.forCode(find(foreign).errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(join(owned)).as("a group of an owned partition is served").isEqualTo(Errors.MEMBER_ID_REQUIRED);

        assertThat(join(foreign)).isEqualTo(Errors.NOT_COORDINATOR);
        SyncGroupResponse sync = raw.send(new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId(foreign)
            .setGenerationId(1).setMemberId("m").setAssignments(List.of())), (short) 5);
        assertThat(sync.error()).isEqualTo(Errors.NOT_COORDINATOR);
        HeartbeatResponse heartbeat = raw.send(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId(foreign)
            .setGenerationId(1).setMemberId("m")), (short) 4);
        assertThat(heartbeat.error()).isEqualTo(Errors.NOT_COORDINATOR);
        LeaveGroupResponse leave = raw.send(new LeaveGroupRequest.Builder(foreign,
            List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))), (short) 5);
        assertThat(leave.error()).isEqualTo(Errors.NOT_COORDINATOR);
        OffsetCommitResponse commit = raw.send(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
            .setGroupId(foreign).setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t")
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5)))))),
            (short) 9);
        assertThat(Errors.forCode(commit.data().topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        OffsetFetchResponse fetch = raw.send(OffsetFetchRequest.Builder.forTopicNames(new OffsetFetchRequestData().setGroups(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(owned).setTopics(null),
            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(foreign).setTopics(null))), false), (short) 9);
        assertThat(fetch.data().groups()).extracting(g -> g.groupId() + ":" + Errors.forCode(g.errorCode()))
            .containsExactly(owned + ":NONE", foreign + ":NOT_COORDINATOR");
        DescribeGroupsResponse describe = raw.send(new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
            .setGroups(List.of(foreign))), (short) 5);
        assertThat(Errors.forCode(describe.data().groups().get(0).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        DeleteGroupsResponse delete = raw.send(new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData()
            .setGroupsNames(List.of(foreign))), (short) 2);
        assertThat(delete.get(foreign)).isEqualTo(Errors.NOT_COORDINATOR);
        OffsetDeleteResponse offsetDelete = raw.send(new OffsetDeleteRequest.Builder(new OffsetDeleteRequestData().setGroupId(foreign)
            .setTopics(new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection())), (short) 0);
        assertThat(Errors.forCode(offsetDelete.data().errorCode())).isEqualTo(Errors.NOT_COORDINATOR);

        // once elected for that partition, the coordinator serves the group
        coordinator.elect(coordinator.partitionFor(foreign)).get(10, TimeUnit.SECONDS);
        assertThat(Errors.forCode(find(foreign).errorCode())).isEqualTo(Errors.NONE);
        assertThat(join(foreign)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    }
}
