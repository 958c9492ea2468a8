/**
 * Idempotent-producer state of one partition log, kept by the log under its write lock (after Kafka's
 * ProducerStateManager).
 *
 * <pre>
 * ProducerStateManager   one partition: the rules, the producers, snapshots at roll and at close, rebuild
 *   ProducerEntry        one producer: epoch and its last five batches (BatchMetadata)
 *   ProducerSnapshotFile &lt;offset&gt;.snapshot in the partition directory
 * ProducerRefusal        why the rules refused a batch (the broker maps the kind to a wire code)
 * </pre>
 */
package io.tributary.log.producer;
