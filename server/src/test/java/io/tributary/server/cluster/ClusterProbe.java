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
     * The active controller as the live brokers other than {@code excluded} report it (a frozen or killed node is not
     * asked); -1 when none of them knows one.
     */
    static int activeControllerExcept(ChildCluster cluster, int excluded) {
        for (int id = 0; id < cluster.size(); id++) {
            if (id != excluded && cluster.isAlive(id)) {
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

    /** Whether every live broker lists {@code count} brokers in its Metadata answer (registered and unfenced). */
    static boolean brokersEverywhere(ChildCluster cluster, int count) {
        for (int id = 0; id < cluster.size(); id++) {
            if (!cluster.isAlive(id)) {
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
     * Whether every live broker reports every partition of {@code topic} ({@code partitionCount} of them) with a leader
     * and {@code isrSize} in-sync replicas, all at the same leader epoch.
     */
    static boolean isrEverywhere(ChildCluster cluster, String topic, int partitionCount, int isrSize) {
        Map<Integer, Integer> epochs = new HashMap<>();
        for (int id = 0; id < cluster.size(); id++) {
            if (!cluster.isAlive(id)) {
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
