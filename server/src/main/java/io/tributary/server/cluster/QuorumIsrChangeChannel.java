package io.tributary.server.cluster;

import io.tributary.metadata.controller.IsrChange;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.replica.IsrChangeChannel;
import io.tributary.server.replica.PartitionAssignment;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link IsrChangeChannel} through the controller (AlterPartition semantics, {@link IsrChange}): the change is
 * accepted only against the current leader epoch and partition epoch; the answer is the partition's state in this
 * broker's image once it has applied the change. A refusal completes exceptionally with {@link IsrChangeRefused}
 * carrying Kafka's error code (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, NOT_CONTROLLER...).
 */
public final class QuorumIsrChangeChannel implements IsrChangeChannel {
    private final ClusterMetadata cluster;

    public QuorumIsrChangeChannel(ClusterMetadata cluster) {
        this.cluster = cluster;
    }

    @Override
    public CompletionStage<PartitionAssignment> alterIsr(TopicPartition partition, int leaderId, int leaderEpoch,
                                                         int partitionEpoch, List<Integer> proposedIsr) {
        TopicImage topic = cluster.image().topic(partition.topic());
        if (topic == null) {
            return CompletableFuture.failedFuture(new IsrChangeRefused(partition,
                io.tributary.protocol.ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "no such topic in the metadata"));
        }
        IsrChange.Request request = new IsrChange.Request(leaderId, cluster.brokerEpoch(), topic.topicId(),
            partition.partition(), leaderEpoch, partitionEpoch, proposedIsr);
        return cluster.sendAndAwait(new ControllerRequest.AlterPartition(request), ClusterMetadata.ADMIN_TIMEOUT)
            .thenApply(reply -> {
                if (!reply.accepted()) {
                    throw new IsrChangeRefused(partition, reply.error(), reply.message());
                }
                TopicImage now = cluster.image().topic(topic.topicId());
                PartitionState state = now == null ? null : now.partition(partition.partition());
                if (state == null) {
                    throw new IsrChangeRefused(partition, io.tributary.protocol.ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "deleted meanwhile");
                }
                return MetadataPublisher.assignment(now, partition.partition(), state);
            });
    }

    /** The controller refused an ISR change. */
    public static final class IsrChangeRefused extends RuntimeException {
        private final TopicPartition partition;
        private final io.tributary.protocol.ErrorCode error;

        public IsrChangeRefused(TopicPartition partition, io.tributary.protocol.ErrorCode error, String message) {
            super("ISR change of " + partition + " refused: " + error + (message == null ? "" : " (" + message + ")"));
            this.partition = partition;
            this.error = error;
        }

        public TopicPartition partition() {
            return partition;
        }

        public io.tributary.protocol.ErrorCode error() {
            return error;
        }
    }
}
