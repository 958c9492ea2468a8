package io.tributary.metadata.image;

import io.tributary.metadata.record.MalformedRecordException;
import io.tributary.metadata.record.RecordCodec;
import io.tributary.metadata.record.UnknownRecordException;

import java.nio.ByteBuffer;

/**
 * The encoding of a whole image, as a snapshot file holds it:
 *
 * <pre>
 * snapshot := magic:int32 (0x54524D53, "TRMS") version:int8 (0) batch
 * </pre>
 *
 * where {@code batch} is {@link RecordCodec}'s encoding of {@link MetadataImage#toRecords()}. Loading applies those
 * records to the empty image, so a snapshot is checked by the same invariants as the log. A snapshot of an image
 * with an agreed cluster id starts with its CLUSTER_ID record; one written before that record existed has none and
 * loads as an image without a cluster id (the controller then writes one), so the version stayed 0.
 */
public final class ImageSnapshot {
    public static final int MAGIC = 0x54524D53;
    public static final int VERSION = 0;

    private ImageSnapshot() {
    }

    public static byte[] encode(MetadataImage image) {
        byte[] batch = RecordCodec.encodeBatch(image.toRecords());
        ByteBuffer out = ByteBuffer.allocate(5 + batch.length);
        out.putInt(MAGIC).put((byte) VERSION).put(batch);
        return out.array();
    }

    /**
     * @throws MalformedRecordException   for bytes that are not a snapshot
     * @throws UnknownRecordException     for a newer snapshot or record version
     * @throws MetadataInvariantException for records that do not make a valid image
     */
    public static MetadataImage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 5) {
            throw new MalformedRecordException("Snapshot of " + bytes.length + " bytes is shorter than its header", 0);
        }
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new MalformedRecordException("Snapshot magic " + Integer.toHexString(magic) + " is not "
                + Integer.toHexString(MAGIC), 0);
        }
        int version = in.get();
        if (version != VERSION) {
            throw UnknownRecordException.ofContainer("metadata snapshot", version, 4);
        }
        return MetadataImage.EMPTY.apply(RecordCodec.decodeBatch(in.slice()));
    }
}
