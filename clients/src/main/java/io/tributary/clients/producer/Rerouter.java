package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.metadata.Cluster;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.routing.RoutingMode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Moves the records of an ordered topic's batches that were routed with fewer partitions than the topic has now
 * to the partitions their keys map to under the new count. Runs on the sender's I/O thread, before it drains.
 *
 * <h2>Which batches</h2>
 * Walking each partition's queue from its head:
 * <ul>
 * <li>a batch the broker refused as misrouted ({@link ProducerBatch#refusedWith}) is re-routed once the metadata
 *     shows more partitions than it was routed with, and once nothing else of its partition is in flight (so
 *     nothing sent after it can still be written); if a newer snapshot shows no growth, the refusal
 *     was not about routing and the batch is retried as it is;</li>
 * <li>a batch never sent and routed with fewer partitions is re-routed before it is ever sent, which spares a
 *     refusal, once nothing of its partition is in flight (an earlier batch there may yet be refused);</li>
 * <li>a batch routed with fewer partitions that was sent before and may have been written (a retry after a lost
 *     answer) cannot be moved: it stops the walk of its partition, so nothing behind it moves ahead of it.</li>
 * </ul>
 *
 * <h2>Where the records go, and why order per key holds</h2>
 * Records whose key still maps to the batch's partition (and keyless ones) stay where the batch was, in a
 * replacement batch. The others go to their new partitions, ahead of every batch the application filled there
 * (those were routed with the new count, so sent later or concurrently), behind batches re-routed earlier. Batches
 * are handled in order of the count they were routed with, so a key that moved at two growths keeps its order;
 * and a batch routed with c is left alone while any batch routed with fewer than c is unfinished and not moved in
 * the same pass (in flight, or stuck in its queue), since it may hold earlier records of the same keys.
 * Re-routed batches may be sent at once; newer application batches wait in the sender until no batch routed with
 * fewer partitions is unfinished ({@link OrderedTopic#mayDrain}).
 *
 * <h2>Sequences</h2>
 * A refused batch had a sequence on its old partition that will now never be written; the pass reports it, and
 * the sender bumps the epoch and renumbers every unacknowledged batch, as for any batch given up. Until then the
 * replacement keeps the refused batch's place among the sequenced batches.
 *
 * <p>Memory: the refused batch's buffer reservation passes to the first batch made from it, so the producer's
 * {@code buffer.memory} accounting stays whole; the refused batch completes when all of its parts have.
 */
final class Rerouter {
    private final RecordAccumulator accumulator;
    private final boolean idempotent;

    Rerouter(RecordAccumulator accumulator, boolean idempotent) {
        this.accumulator = accumulator;
        this.idempotent = idempotent;
    }

    /** One pass over every ordered topic; returns whether a sequenced batch was given up (the epoch must be bumped). */
    boolean reroute(Cluster cluster) {
        if (!accumulator.hasOrderedBatches) {
            return false;
        }
        Map<OrderedTopic, List<PartitionQueue>> candidates = new LinkedHashMap<>();
        for (PartitionQueue q : accumulator.queues()) {
            synchronized (q) {
                for (ProducerBatch b : q.batches) {
                    if (b.ordered != null && (b.refusedWith != null || b.routingCount < cluster.partitionCount(b.ordered.name))) {
                        candidates.computeIfAbsent(b.ordered, t -> new ArrayList<>()).add(q);
                        break;
                    }
                }
            }
        }
        boolean gaveUpSequences = false;
        for (Map.Entry<OrderedTopic, List<PartitionQueue>> e : candidates.entrySet()) {
            int count = cluster.partitionCount(e.getKey().name);
            if (count <= 0) {
                continue;
            }
            List<ProducerBatch> moving = new ArrayList<>();
            List<PartitionQueue> queues = e.getValue();
            queues.sort(Comparator.comparingInt(q -> q.partition.partition()));
            for (PartitionQueue q : queues) {
                collect(q, e.getKey(), count, cluster, moving);
            }
            // Stable: within one count, each partition's batches stay in queue order.
            moving.sort(Comparator.comparingInt(b -> b.routingCount));
            // A batch routed with c may move only if no batch routed with fewer partitions stays behind (in flight,
            // or stuck in its queue): that one may hold the same keys' earlier records.
            Map<Integer, Integer> handled = new TreeMap<>();
            moving.forEach(b -> handled.merge(b.routingCount, 1, Integer::sum));
            int limit = e.getKey().lowestCountNotIn(handled);
            for (ProducerBatch b : moving) {
                if (b.routingCount > limit) {
                    break;
                }
                gaveUpSequences |= idempotent && b.baseSequence >= 0;
                split(b, count);
            }
        }
        return gaveUpSequences;
    }

    private void collect(PartitionQueue q, OrderedTopic topic, int count, Cluster cluster, List<ProducerBatch> moving) {
        synchronized (q) {
            for (ProducerBatch b : q.batches) {
                if (b.ordered != topic) {
                    continue;   // a partition the application chose: sent as it is
                }
                if (b.refusedWith != null) {
                    if (count > b.routingCount) {
                        if (q.sentUnanswered > 0) {
                            return;   // batches sent after it may still be written: their answers come first
                        }
                        moving.add(b);
                        continue;
                    }
                    if (cluster == b.refusedWith) {
                        return;   // waiting for a newer snapshot
                    }
                    b.refusedWith = null;   // the topic did not grow: an ordinary retry
                    continue;
                }
                if (b.routingCount >= count) {
                    continue;
                }
                if (b.attempts > 0 || q.sentUnanswered > 0) {
                    // Sent before and perhaps written, or behind batches in flight that may be refused: nothing
                    // may overtake them.
                    return;
                }
                b.sealed = true;
                moving.add(b);
            }
        }
    }

    private void split(ProducerBatch b, int count) {
        List<Record> records = RecordBatchReader.DEFAULT.read(RecordBatch.at(b.buffer(), 0));
        if (records.size() != b.futures.size()) {
            throw new IllegalStateException(b + " decodes to " + records.size() + " records but holds " + b.futures.size() + " futures");
        }
        TopicPartition home = b.partition;
        // One part per partition the records go to (a carrying batch takes them all); the first made takes the
        // refused batch's buffer.memory reservation.
        Map<Integer, ProducerBatch> parts = new TreeMap<>();
        int reservation = b.takeReservation();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            int target = r.hasKey() ? RoutingMode.ORDERED.partition(r.key(), count) : home.partition();
            ProducerBatch part = parts.get(target);
            if (part == null) {
                part = newPart(new TopicPartition(home.topic(), target), reservation, b, count);
                reservation = 0;
                parts.put(target, part);
            }
            append(part, r, b.futures.get(i));
        }
        ProducerBatch stay = parts.remove(home.partition());
        List<ProducerBatch> all = new ArrayList<>();
        if (stay != null) {
            if (idempotent && b.baseSequence >= 0) {
                // Keeps the refused batch's place among the sequenced ones until the epoch bump renumbers them.
                stay.baseSequence = b.baseSequence;
            }
            all.add(stay);
        }
        all.addAll(parts.values());
        for (ProducerBatch part : all) {
            part.sealed = true;
            part.rerouted = true;
            part.buffer();
            accumulator.incomplete.add(part);
        }
        accumulator.queue(home.topic(), home.partition()).replace(b, stay);
        for (ProducerBatch part : parts.values()) {
            accumulator.queue(home.topic(), part.partition.partition()).insertRerouted(part);
        }
        // The refused batch is done as a batch; its records live on in the parts.
        b.completed = true;
        b.ordered.batchFinished(b.routingCount);
        accumulator.incomplete.remove(b);
        CompletableFuture.allOf(all.stream().map(p -> p.done).toArray(CompletableFuture[]::new))
            .whenComplete((ignored, error) -> b.done.complete(null));
    }

    private static ProducerBatch newPart(TopicPartition partition, int reservation, ProducerBatch from, int count) {
        from.ordered.batchCreated(count);
        return ProducerBatch.carrying(from, partition, reservation, count);
    }

    private static void append(ProducerBatch part, Record r, RecordFuture future) {
        ByteBuffer key = r.hasKey() ? r.key() : null;
        ByteBuffer value = r.hasValue() ? r.value() : null;
        List<Header> headers = r.headers();
        int size = RecordAccumulator.estimateSize(bytes(key), bytes(value), headers) - RecordBatch.HEADER_SIZE;
        if (!part.tryAppend(r.timestamp(), key, value, headers, size, future)) {
            throw new IllegalStateException("A carrying batch for " + part.partition + " refused a record");
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
