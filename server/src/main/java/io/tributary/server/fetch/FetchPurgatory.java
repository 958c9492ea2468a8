package io.tributary.server.fetch;

import io.tributary.log.LogListener;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.api.DeadlineTimer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where fetches that found fewer than min_bytes wait (the long poll): indexed by the partitions they
 * read, so an append wakes exactly the fetches it may satisfy, and by connection, so a closed connection
 * ends its fetches at once; each with a deadline on one timer thread.
 *
 * <p>It listens to every log of the broker ({@link LogListener}, registered with the LogManager): each
 * append, whoever made it (a produce request, the group coordinator writing {@code __consumer_offsets}),
 * wakes the fetches parked on that partition, and so do a truncation and the deletion of the log, which
 * change what they would read. Waking only schedules a check on each waiting fetch's event loop, so it
 * never blocks the appender (the log calls after releasing its write lock), and a fetch checks at most
 * once per burst of appends. No thread per request and no polling: one timer thread ({@link DeadlineTimer})
 * sleeps until the nearest deadline and hands expired fetches to their event loops.
 *
 * <p>Invariant: a fetch is in {@code byPartition} and {@code byConnection} from {@link #park} until it
 * completes (completion calls {@link #unpark}); sets emptied by removal are removed with it. After
 * {@link #close()} nothing stays parked.
 */
public final class FetchPurgatory implements LogListener, AutoCloseable {
    private final Map<TopicPartition, Set<DelayedFetch>> byPartition = new ConcurrentHashMap<>();
    private final Map<String, Set<DelayedFetch>> byConnection = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer = DeadlineTimer.create("fetch-expiry");
    private final AtomicLong checks = new AtomicLong();
    private volatile boolean closed;

    /**
     * Parks a fetch until it completes; call on its event loop, after reads that found too little. If a
     * watched log moved between those reads and the park, the fetch checks again at once, so an append
     * in between is not missed.
     */
    void park(DelayedFetch fetch, FetchOperation operation, FetchReads firstReads) {
        // Added inside compute, atomically with unpark's removal of emptied sets, so none is orphaned.
        for (TopicPartition partition : fetch.watched()) {
            byPartition.compute(partition, (p, set) -> add(set, fetch));
        }
        byConnection.compute(fetch.connectionId(), (c, set) -> add(set, fetch));
        if (closed) {
            fetch.abandon();
            return;
        }
        ScheduledFuture<?> timeout;
        try {
            timeout = timer.schedule(fetch::expire, fetch.maxWaitMs(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            fetch.abandon(); // the timer stopped: the broker is closing
            return;
        }
        fetch.expireAfter(timeout);
        if (operation.movedSince(firstReads)) {
            fetch.wake();
        }
    }

    private static Set<DelayedFetch> add(Set<DelayedFetch> set, DelayedFetch fetch) {
        Set<DelayedFetch> fetches = set != null ? set : ConcurrentHashMap.newKeySet();
        fetches.add(fetch);
        return fetches;
    }

    @Override
    public void appended(PartitionLog log, long logEndOffset) {
        wake(log.topicPartition());
    }

    @Override
    public void truncated(PartitionLog log, long logEndOffset) {
        wake(log.topicPartition());
    }

    @Override
    public void deleted(PartitionLog log) {
        wake(log.topicPartition());
    }

    /**
     * The partition's high watermark, ISR or leadership moved (the replica manager tells): what its parked fetches may
     * read changed, so they check again.
     */
    public void partitionChanged(TopicPartition partition) {
        wake(partition);
    }

    /** Schedules a check of every fetch parked on {@code partition}. */
    void wake(TopicPartition partition) {
        Set<DelayedFetch> waiting = byPartition.get(partition);
        if (waiting != null) {
            for (DelayedFetch fetch : waiting) {
                fetch.wake();
            }
        }
    }

    /** Ends the fetches of a closed connection now, with whatever they can read (the answer is dropped). */
    void connectionClosed(String connectionId) {
        Set<DelayedFetch> fetches = byConnection.get(connectionId);
        if (fetches != null) {
            for (DelayedFetch fetch : fetches) {
                fetch.expire();
            }
        }
    }

    /** Removes a completed fetch from the indices. */
    void unpark(DelayedFetch fetch) {
        for (TopicPartition partition : fetch.watched()) {
            byPartition.computeIfPresent(partition, (p, set) -> {
                set.remove(fetch);
                return set.isEmpty() ? null : set;
            });
        }
        byConnection.computeIfPresent(fetch.connectionId(), (c, set) -> {
            set.remove(fetch);
            return set.isEmpty() ? null : set;
        });
    }

    /** Deadlines the timer holds: one per parked fetch, none once its fetch completed, however early. For tests. */
    int pendingDeadlines() {
        return timer.getQueue().size();
    }

    void countCheck() {
        checks.incrementAndGet();
    }

    /** Fetches waiting now. */
    public int parkedCount() {
        int count = 0;
        for (Set<DelayedFetch> fetches : byConnection.values()) {
            count += fetches.size();
        }
        return count;
    }

    /**
     * How many times woken fetches have read to see whether they can complete; counted once the check has
     * completed the fetch or left it parked. For tests and metrics.
     */
    public long checks() {
        return checks.get();
    }

    /** Stops the timer and completes whatever still waits without answering (its connections are gone). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        List<DelayedFetch> left = new ArrayList<>();
        byConnection.values().forEach(left::addAll);
        left.forEach(DelayedFetch::abandon);
    }
}
