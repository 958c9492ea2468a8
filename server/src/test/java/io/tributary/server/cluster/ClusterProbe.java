package io.tributary.server.cluster;

import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each broker of a {@link ChildCluster} itself says about a topic's partitions (a Metadata v12 request sent to
 * that broker alone, through Kafka's request classes). A fault test waits on the agreement of every live broker rather
 * than on one Admin answer, since a broker that has just restarted may still answer from an older image.
 */
final class ClusterProbe {
    private ClusterProbe() {
    }

    /** The partitions of {@code topic} as broker {@code id} describes them; empty if it cannot answer now. */
    static List<MetadataResponse.PartitionMetadata> partitions(ChildCluster cluster, int id, String topic) {
        try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
            MetadataResponse response = raw.send(new MetadataRequest.Builder(List.of(topic), false), (short) 12);
            MetadataResponse.TopicMetadata described = response.topicMetadata().iterator().next();
            return described.error() == org.apache.kafka.common.protocol.Errors.NONE ? described.partitionMetadata() : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The active controller (the metadata quorum's leader) as broker {@code id} reports it through DescribeCluster's
     * controllers endpoint type (KIP-919, what an Admin with {@code bootstrap.controllers} asks); -1 when it knows none
     * or cannot answer now. Metadata's and DescribeCluster's brokers answers name a live broker instead, as Kafka's do.
     */
    static int activeController(ChildCluster cluster, int id) {
        try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
            org.apache.kafka.common.requests.DescribeClusterResponse response = raw.send(
                new org.apache.kafka.common.requests.DescribeClusterRequest.Builder(
                    new org.apache.kafka.common.message.DescribeClusterRequestData().setEndpointType((byte) 2)), (short) 1);
            return response.data().errorCode() == 0 ? response.data().controllerId() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The active controller as the running brokers other than {@code excluded} report it (a paused or killed node is
     * not asked); -1 when none of them knows one.
     */
    static int activeControllerExcept(ChildCluster cluster, int excluded) {
        for (int id = 0; id < cluster.size(); id++) {
            if (id != excluded && cluster.isRunning(id)) {
                int controller = activeController(cluster, id);
                if (controller >= 0) {
                    return controller;
                }
            }
        }
        return -1;
    }

    /** Waits up to {@code timeoutMs} until a live broker reports an active controller, and returns it. */
    static int awaitActiveController(ChildCluster cluster, long timeoutMs) throws InterruptedException {
        int[] found = {-1};
        if (!ChildCluster.await(timeoutMs, () -> (found[0] = activeControllerExcept(cluster, -1)) >= 0)) {
            throw new AssertionError("no broker reports an active controller within " + timeoutMs + " ms");
        }
        return found[0];
    }

    /**
     * What each node says of {@code topic}'s partitions and of the active controller (a killed or paused node is named
     * as such and not asked), then the end of each running node's log: a fault test's failure message, because the
     * nodes' logs are gone with the test's temporary directory by the time anyone reads a CI log.
     */
    static String report(ChildCluster cluster, String topic) {
        StringBuilder text = new StringBuilder("\n");
        for (int id = 0; id < cluster.size(); id++) {
            text.append("node ").append(id).append(": ");
            if (!cluster.isAlive(id)) {
                text.append("not running\n");
            } else if (!cluster.isRunning(id)) {
                text.append("paused\n");
            } else {
                text.append("controller ").append(activeController(cluster, id)).append(", ").append(topic).append(' ');
                partitions(cluster, id, topic).forEach(p -> text.append(p.partition()).append(": leader ")
                    .append(p.leaderId.map(String::valueOf).orElse("none")).append(" epoch ").append(p.leaderEpoch.orElse(-1))
                    .append(" isr ").append(p.inSyncReplicaIds).append("; "));
                text.append('\n');
            }
        }
        for (int id = 0; id < cluster.size(); id++) {
            if (cluster.isRunning(id)) {
                text.append(io.tributary.server.ChildDiagnosis.logTail(cluster.log(id), 15));
            }
        }
        return text.toString();
    }

    /**
     * Whether every running broker (a paused one cannot answer) lists {@code count} brokers in its Metadata answer
     * (registered and unfenced).
     */
    static boolean brokersEverywhere(ChildCluster cluster, int count) {
        for (int id = 0; id < cluster.size(); id++) {
            if (!cluster.isRunning(id)) {
                continue;
            }
            try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
                MetadataResponse response = raw.send(new MetadataRequest.Builder(List.of(), false), (short) 12);
                if (response.brokers().size() != count) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every running broker reports every partition of {@code topic} ({@code partitionCount} of them) with a
     * leader and {@code isrSize} in-sync replicas, all at the same leader epoch.
     */
    static boolean isrEverywhere(ChildCluster cluster, String topic, int partitionCount, int isrSize) {
        Map<Integer, Integer> epochs = new HashMap<>();
        for (int id = 0; id < cluster.size(); id++) {
            if (!cluster.isRunning(id)) {
                continue;
            }
            List<MetadataResponse.PartitionMetadata> partitions = partitions(cluster, id, topic);
            if (partitions.size() != partitionCount) {
                return false;
            }
            for (MetadataResponse.PartitionMetadata p : partitions) {
                if (p.leaderId.isEmpty() || p.inSyncReplicaIds.size() != isrSize) {
                    return false;
                }
                int epoch = p.leaderEpoch.orElse(-1);
                if (epochs.putIfAbsent(p.partition(), epoch) != null && epochs.get(p.partition()) != epoch) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Waits up to {@code timeoutMs} for {@link #isrEverywhere}; on the timeout fails with {@code what} and
     * {@link #report}, which says which broker disagrees and how.
     */
    static void awaitIsrEverywhere(ChildCluster cluster, String topic, int partitionCount, int isrSize, long timeoutMs,
                                   String what) throws InterruptedException {
        if (!ChildCluster.await(timeoutMs, () -> isrEverywhere(cluster, topic, partitionCount, isrSize))) {
            throw new AssertionError(what + ": not every running broker reported " + partitionCount + " partition(s) of "
                + topic + " with " + isrSize + " in-sync replica(s) at one leader epoch within " + timeoutMs + " ms:"
                + report(cluster, topic));
        }
    }

    /** The brokers DescribeCluster lists (registered and unfenced, as Kafka's), or -1 when it cannot be asked now. */
    static int liveBrokers(org.apache.kafka.clients.admin.Admin admin) {
        try {
            return admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Whether {@code brokers} brokers are unfenced: the controller would place a topic with that many replicas
     * (what the controller counts, which a broker's DescribeCluster, answered from its own image, may lag).
     */
    static boolean unfenced(org.apache.kafka.clients.admin.Admin admin, int brokers) {
        try {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("placement-probe", 1, (short) brokers)),
                new org.apache.kafka.clients.admin.CreateTopicsOptions().validateOnly(true))
                .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
