package io.tributary.server.cluster;

import io.tributary.metadata.controller.ProducerIdAllocation;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.server.produce.ProducerIdAllocator;

/**
 * Producer-id blocks from the controller (AllocateProducerIds semantics, {@link ProducerIdAllocation}): the block is
 * recorded in the metadata quorum before this broker hands out any id of it, so ids are unique across the cluster and
 * across restarts. A producer id may have been issued when it lies below the next id the image has not given out.
 */
public final class QuorumProducerIdBlocks implements ProducerIdAllocator.BlockSource {
    /** The quorum member, or null while the broker has not joined it yet (it starts in the background). */
    private final java.util.function.Supplier<ClusterMetadata> joined;

    public QuorumProducerIdBlocks(java.util.function.Supplier<ClusterMetadata> joined) {
        if (ProducerIdAllocation.BLOCK_SIZE != ProducerIdAllocator.BLOCK_SIZE) {
            throw new IllegalStateException("The controller's producer-id blocks hold " + ProducerIdAllocation.BLOCK_SIZE
                + " ids, the allocator's " + ProducerIdAllocator.BLOCK_SIZE);
        }
        this.joined = joined;
    }

    @Override
    public long reserveBlock() {
        ClusterMetadata cluster = joined.get();
        if (cluster == null) {
            throw new ProducerIdAllocator.BlockUnavailableException("this broker has not joined the metadata quorum yet");
        }
        long brokerEpoch = cluster.brokerEpoch();
        if (brokerEpoch < 0) {
            throw new ProducerIdAllocator.BlockUnavailableException("broker " + cluster.nodeId()
                + " has not registered yet; no producer-id block");
        }
        ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.ProducerIds(cluster.nodeId(), brokerEpoch),
            ClusterMetadata.ADMIN_TIMEOUT).join();
        if (!reply.accepted()) {
            throw new ProducerIdAllocator.BlockUnavailableException("the controller gave broker " + cluster.nodeId()
                + " no producer-id block: " + reply.error() + (reply.message() == null ? "" : " " + reply.message()));
        }
        return reply.value();
    }

    @Override
    public boolean mayHaveIssued(long producerId) {
        ClusterMetadata cluster = joined.get();
        return producerId >= 0 && (cluster == null || producerId < cluster.image().nextProducerId());
    }
}
