package io.tributary.log.producer;

/**
 * Why the idempotent-producer rules refused a batch, with a message naming the producer, the values and the rule.
 * Nothing was written. The broker maps the kind to its wire code (the log knows no wire codes).
 */
public record ProducerRefusal(Kind kind, String message) {
    public enum Kind {
        /** The batch's epoch is older than the producer's current one (Kafka: INVALID_PRODUCER_EPOCH). */
        FENCED_EPOCH,
        /** A gap or a repeat in the sequence, or a new epoch not starting at 0 (OUT_OF_ORDER_SEQUENCE_NUMBER). */
        OUT_OF_ORDER_SEQUENCE,
        /**
         * No live state for the producer and a first sequence other than 0 (UNKNOWN_PRODUCER_ID from Produce v5,
         * OUT_OF_ORDER_SEQUENCE_NUMBER before).
         */
        UNKNOWN_PRODUCER,
        /** A transaction marker from a coordinator epoch older than the producer's last marker's (TRANSACTION_COORDINATOR_FENCED). */
        FENCED_COORDINATOR
    }
}
