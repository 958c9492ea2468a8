package io.tributary.metadata.controller;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * AllocateProducerIds: a broker gets the next block of {@link #BLOCK_SIZE} producer ids, which no other broker (and
 * no later incarnation) ever gets, because the record moving the next free id past the block is committed before the
 * broker hears of it.
 */
public final class ProducerIdAllocation {
    /** Kafka's block size. */
    public static final int BLOCK_SIZE = 1000;

    private ProducerIdAllocation() {
    }

    /** The ids [firstProducerId, firstProducerId + size). */
    public record Block(long firstProducerId, int size) {
    }

    public static ControllerResult<Block> allocate(MetadataImage image, int brokerId, long brokerEpoch) {
        return allocate(image, brokerId, brokerEpoch, 0);
    }

    /**
     * The next block, starting at or above {@code atLeast} (a pre-cluster broker's own reservation, see
     * {@link io.tributary.metadata.quorum.ControllerRequest.ProducerIds}); the ids skipped below it are never handed out.
     */
    public static ControllerResult<Block> allocate(MetadataImage image, int brokerId, long brokerEpoch, long atLeast) {
        BrokerRegistration broker = image.broker(brokerId);
        if (broker == null) {
            return ControllerResult.refused(ErrorCode.BROKER_ID_NOT_REGISTERED);
        }
        if (broker.brokerEpoch() != brokerEpoch) {
            return ControllerResult.refused(ErrorCode.STALE_BROKER_EPOCH);
        }
        if (atLeast < 0 || atLeast > Long.MAX_VALUE - BLOCK_SIZE) {
            return ControllerResult.refused(ErrorCode.INVALID_REQUEST);
        }
        long first = Math.max(image.nextProducerId(), atLeast);
        return ControllerResult.of(List.<MetadataRecord>of(new ProducerIdBlock(brokerId, brokerEpoch, first + BLOCK_SIZE)),
            new Block(first, BLOCK_SIZE));
    }
}
