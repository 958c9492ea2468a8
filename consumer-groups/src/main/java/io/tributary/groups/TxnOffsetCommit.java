package io.tributary.groups;

/**
 * Offsets committed inside a transaction (Kafka's TxnOffsetCommit, decoded): written to {@code __consumer_offsets} in a
 * transactional batch of the producer, and visible (OffsetFetch) only once the transaction's COMMIT marker reaches
 * the group's partition; an ABORT marker drops them.
 *
 * @param commit the offsets, group and member as in an OffsetCommit (generation -1: not checked, as Kafka before v3)
 */
public record TxnOffsetCommit(OffsetCommit commit, long producerId, short producerEpoch) {
}
