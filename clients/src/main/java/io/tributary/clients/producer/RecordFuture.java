package io.tributary.clients.producer;

import java.util.concurrent.CompletableFuture;

/**
 * The future {@code send} returns, which also carries what the producer needs to complete it: the callback,
 * the record's timestamp and serialized sizes. One object per record, so a send allocates no separate holder.
 * Completed on the producer's callback thread, after the callback ran.
 */
final class RecordFuture extends CompletableFuture<RecordMetadata> {
    final Callback callback;
    final long timestamp;
    final int keySize;
    final int valueSize;

    RecordFuture(Callback callback, long timestamp, int keySize, int valueSize) {
        this.callback = callback;
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }
}
