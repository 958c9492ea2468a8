package io.tributary.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * The listeners of a {@link LogManager}'s logs (one instance shared by all of them), and the calls that tell them.
 *
 * <p>Invariant: {@link #listeners} is replaced, never changed in place (copy on write), so a publication reads one
 * volatile array and iterates it without a lock or an iterator; registration is rare, publication is per append.
 */
public final class LogListeners {
    private static final Logger log = LoggerFactory.getLogger(LogListeners.class);
    private static final LogListener[] NONE = new LogListener[0];

    private volatile LogListener[] listeners = NONE;

    /** No listeners: the logs' rolls then write no producer snapshots (see {@link #withProducerSnapshots}). */
    public LogListeners() {
    }

    /**
     * Listeners that start with the {@link ProducerSnapshotter}, which writes each roll's producer snapshot on
     * {@code background} (the executor the logs run their roll fsyncs on, so the snapshot follows the fsync).
     */
    public static LogListeners withProducerSnapshots(Executor background) {
        LogListeners listeners = new LogListeners();
        listeners.add(new ProducerSnapshotter(background));
        return listeners;
    }

    public synchronized void add(LogListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("A log listener cannot be null");
        }
        LogListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = listener;
        listeners = grown;
    }

    public synchronized void remove(LogListener listener) {
        LogListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                LogListener[] shrunk = new LogListener[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                listeners = shrunk;
                return;
            }
        }
    }

    void appended(PartitionLog partitionLog, long logEndOffset) {
        for (LogListener listener : listeners) {
            try {
                listener.appended(partitionLog, logEndOffset);
            } catch (RuntimeException e) {
                failed(listener, "append", partitionLog, e);
            }
        }
    }

    void lastStableOffsetChanged(PartitionLog partitionLog, long lastStableOffset) {
        for (LogListener listener : listeners) {
            try {
                listener.lastStableOffsetChanged(partitionLog, lastStableOffset);
            } catch (RuntimeException e) {
                failed(listener, "last stable offset", partitionLog, e);
            }
        }
    }

    void rolled(PartitionLog partitionLog, long baseOffset) {
        for (LogListener listener : listeners) {
            try {
                listener.rolled(partitionLog, baseOffset);
            } catch (RuntimeException e) {
                failed(listener, "roll", partitionLog, e);
            }
        }
    }

    void truncated(PartitionLog partitionLog, long logEndOffset) {
        for (LogListener listener : listeners) {
            try {
                listener.truncated(partitionLog, logEndOffset);
            } catch (RuntimeException e) {
                failed(listener, "truncation", partitionLog, e);
            }
        }
    }

    void segmentsDeleted(PartitionLog partitionLog, long logStartOffset) {
        for (LogListener listener : listeners) {
            try {
                listener.segmentsDeleted(partitionLog, logStartOffset);
            } catch (RuntimeException e) {
                failed(listener, "segment deletion", partitionLog, e);
            }
        }
    }

    void deleted(PartitionLog partitionLog) {
        for (LogListener listener : listeners) {
            try {
                listener.deleted(partitionLog);
            } catch (RuntimeException e) {
                failed(listener, "deletion", partitionLog, e);
            }
        }
    }

    private static void failed(LogListener listener, String event, PartitionLog partitionLog, RuntimeException e) {
        log.error("Log listener {} failed on the {} of {}", listener, event, partitionLog.topicPartition(), e);
    }
}
