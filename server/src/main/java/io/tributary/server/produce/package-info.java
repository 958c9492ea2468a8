/**
 * The produce path: Produce and InitProducerId. The idempotent-producer state itself is the log's
 * ({@code io.tributary.log.producer}), checked and updated under each partition log's write lock.
 *
 * <pre>
 * ProduceHandler            per request: topics and partitions, acks, Kafka's per-request batch rules, the
 *                           log's verdict as a wire code, the flush to wait for, the answer
 * InitProducerIdHandler     producer ids and KIP-360 epoch bumps (fenced by the partitions' producer epochs)
 *   ProducerIdAllocator     ids reserved in blocks, persisted in the first log directory
 * </pre>
 */
package io.tributary.server.produce;
