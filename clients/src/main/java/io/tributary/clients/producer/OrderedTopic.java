package io.tributary.clients.producer;

import java.util.Map;
import java.util.TreeMap;

/**
 * The producer's bookkeeping for one ordered topic ({@code routing.mode=ordered}): how many of its unfinished
 * batches were routed with each partition count.
 *
 * <p>Why: after the topic grows from n to m partitions, a key's records may sit in a batch routed with n (bound
 * for the key's old partition, where the broker will refuse them) while the application already sends its next
 * records, routed with m, to the key's new partition. The sender therefore sends no batch routed with m while a
 * batch routed with fewer partitions is unfinished ({@link #mayDrain}); such batches are either written (their
 * keys did not move), or refused and re-routed ahead of the newer records (see {@link Rerouter}). The wait lasts
 * about one round trip after each growth.
 *
 * <p>Thread-safe: batches are created on application threads and finished on the I/O thread.
 */
final class OrderedTopic {
    final String name;
    private final TreeMap<Integer, Integer> unfinishedByCount = new TreeMap<>();

    OrderedTopic(String name) {
        this.name = name;
    }

    synchronized void batchCreated(int routingCount) {
        unfinishedByCount.merge(routingCount, 1, Integer::sum);
    }

    synchronized void batchFinished(int routingCount) {
        Integer left = unfinishedByCount.get(routingCount);
        if (left == null) {
            throw new IllegalStateException("No unfinished batch of " + name + " was routed with " + routingCount + " partitions");
        }
        if (left == 1) {
            unfinishedByCount.remove(routingCount);
        } else {
            unfinishedByCount.put(routingCount, left - 1);
        }
    }

    /** Whether a batch routed with {@code routingCount} partitions may be sent: none routed with fewer is unfinished. */
    synchronized boolean mayDrain(int routingCount) {
        return unfinishedByCount.isEmpty() || unfinishedByCount.firstKey() >= routingCount;
    }

    /**
     * The lowest routing count some unfinished batch has that is not among {@code handled} (counted by routing count),
     * or {@link Integer#MAX_VALUE} if every unfinished batch is.
     */
    synchronized int lowestCountNotIn(Map<Integer, Integer> handled) {
        for (Map.Entry<Integer, Integer> e : unfinishedByCount.entrySet()) {
            if (e.getValue() > handled.getOrDefault(e.getKey(), 0)) {
                return e.getKey();
            }
        }
        return Integer.MAX_VALUE;
    }

    @Override
    public synchronized String toString() {
        return "ordered topic " + name + " (unfinished batches by routing count: " + unfinishedByCount + ")";
    }
}
