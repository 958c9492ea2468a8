package io.tributary.clients.producer;

/**
 * One topic's estimate of how far its records shrink when compressed (compressed bytes / uncompressed bytes), so
 * that compressed batches are filled to about {@code batch.size} on the wire, as KafkaProducer fills them, rather
 * than to {@code batch.size} before compression: with records that compress to half, a batch then carries twice
 * the records, and the broker gets half the requests and batches for the same data.
 *
 * <p>The estimate starts at 1 (no gain assumed) and each built batch moves it: up at once, to what was observed
 * and by at least 0.05, when a batch compressed worse than estimated, since an underestimate makes batches larger
 * than batch.size (and, near max.message.bytes, refused); down slowly, by 0.005 a batch, when it compressed
 * better. Appends read it with a 5% margin. Whichever thread builds a batch updates it, without a lock: two
 * updates racing lose one, which only delays the estimate by a batch.
 */
final class CompressionRatio {
    private static final float MARGIN = 1.05f;
    private static final float WORSE_STEP = 0.05f;
    private static final float BETTER_STEP = 0.005f;

    private volatile float estimate = 1.0f;

    float estimate() {
        return estimate;
    }

    /** The bytes {@code uncompressedBytes} of records are expected to take compressed, with the margin. */
    long estimatedCompressedSize(long uncompressedBytes) {
        return (long) Math.ceil(uncompressedBytes * (double) estimate * MARGIN);
    }

    /** The uncompressed bytes of records expected to compress to {@code compressedBytes}, with the margin. */
    long uncompressedFill(long compressedBytes) {
        return (long) (compressedBytes / ((double) estimate * MARGIN));
    }

    /** Takes one built batch's outcome into the estimate; empty records sections are ignored. */
    void observe(int uncompressedBytes, int compressedBytes) {
        if (uncompressedBytes <= 0) {
            return;
        }
        float observed = compressedBytes / (float) uncompressedBytes;
        float current = estimate;
        estimate = observed > current ? Math.max(current + WORSE_STEP, observed) : Math.max(observed, current - BETTER_STEP);
    }
}
