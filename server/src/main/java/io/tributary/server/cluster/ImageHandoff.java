package io.tributary.server.cluster;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.quorum.MetadataListener;
import io.tributary.metadata.record.MetadataRecord;

import java.util.List;

/**
 * Holds the images the metadata quorum applies before the broker's {@link MetadataPublisher} exists, and forwards
 * every image to it once {@link #attach attached}. Invariant: the attached listener sees images in log order, and its
 * first image is the newest one applied before it was attached (handed over with no records, as an image loaded
 * from a snapshot is); none is lost and none is seen twice.
 *
 * <p>Design note: the quorum member starts in the background while the logs open (its start, mostly class loading
 * and grpc, is the longest step of a broker's start), but the publisher needs the opened logs. The publisher only
 * compares each image with the one it published before, so the newest held image is all it needs.
 */
public final class ImageHandoff implements MetadataListener {
    private MetadataImage held;
    private MetadataListener target;

    @Override
    public synchronized void onImage(MetadataImage image, List<MetadataRecord> records) {
        if (target != null) {
            target.onImage(image, records); // the publisher only enqueues: holding the lock here is brief
        } else {
            held = image;
        }
    }

    /** Forwards the newest held image (if any) and every later one to {@code listener}. */
    public synchronized void attach(MetadataListener listener) {
        if (target != null) {
            throw new IllegalStateException("already attached to " + target);
        }
        target = listener;
        if (held != null) {
            listener.onImage(held, List.of());
            held = null;
        }
    }
}
