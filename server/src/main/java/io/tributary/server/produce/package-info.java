/**
 * The produce path: Produce and InitProducerId, and the idempotent-producer state they keep per partition.
 *
 * <pre>
 * ProduceHandler            per request: topics and partitions, acks, the flush to wait for, the answer
 *   ProducerStates          every partition's table; loaded before the broker listens, snapshotted at stop
 *     ProducerStateTable    one partition: lock, producer rules, append, snapshot on segment roll
 *       ProducerEntry       one producer: epoch and its last five batches (BatchMetadata)
 *     ProducerSnapshotFile  &lt;offset&gt;.snapshot in the partition directory
 * InitProducerIdHandler     producer ids and KIP-360 epoch bumps
 *   ProducerIdAllocator     ids reserved in blocks, persisted in the first log directory
 * </pre>
 */
package io.tributary.server.produce;
