package io.tributary.metadata.quorum;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;

import java.util.List;

/**
 * Told of every new image, in log order, on the quorum's apply thread: it must return quickly and must not submit
 * and wait (that would wait on its own thread).
 */
@FunctionalInterface
public interface MetadataListener {
    /**
     * @param image   the image after the batch
     * @param records the batch just applied; empty when the image was loaded from a snapshot
     */
    void onImage(MetadataImage image, List<MetadataRecord> records);
}
