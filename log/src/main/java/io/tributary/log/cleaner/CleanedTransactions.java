package io.tributary.log.cleaner;

import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one read of a log, front to back, knows of its transactions while the cleaner maps or rewrites it (Kafka's
 * {@code CleanedTransactionMetadata}). The read is given the aborted transactions of its range from the
 * aborted-transaction index; each becomes ongoing when the read reaches its first offset, and ends at its ABORT marker.
 *
 * <ul>
 *   <li>A transactional data batch of a producer with an ongoing aborted transaction is aborted data: the cleaner
 *       drops it and does not map its keys (an aborted value must never supersede a committed one).</li>
 *   <li>A marker may go once no data of its transaction is left in the log: an ABORT marker when this read met none
 *       of the transaction's batches (a first read that drops the data keeps the marker, so a consumer that fetched
 *       the data before the cleaning still finds the marker after it); a COMMIT marker when this read met no
 *       transactional batch of the producer since its previous marker. The cleaner then removes it after
 *       {@code delete.retention.ms}, as it does tombstones.</li>
 *   <li>An ABORT marker that may go takes its index entry with it: {@link #forgettable()} lists the entries the
 *       cleaner drops from the aborted-transaction index (Kafka leaves them out of the cleaned segment's index).</li>
 * </ul>
 *
 * <p>Correct only below the last stable offset: every transaction the read meets has its marker in the log or is an
 * aborted one in the index; the cleaner never reads past its first uncleanable offset, which is at most the LSO.
 */
final class CleanedTransactions {
    private final ArrayDeque<AbortedTxn> notYetReached;
    /** Producer id to its aborted transaction the read is inside of, and whether it met a batch of it. */
    private final Map<Long, Ongoing> ongoingAborted = new HashMap<>();
    /** Producers with transactional batches met since their last marker that are not aborted. */
    private final Set<Long> ongoingCommitted = new HashSet<>();
    private final List<AbortedTxn> forgettable = new ArrayList<>();

    private static final class Ongoing {
        final AbortedTxn txn;
        boolean dataMet;

        Ongoing(AbortedTxn txn) {
            this.txn = txn;
        }
    }

    /** @param aborted the aborted transactions overlapping the range the read covers, in any order */
    CleanedTransactions(List<AbortedTxn> aborted) {
        List<AbortedTxn> sorted = new ArrayList<>(aborted);
        sorted.sort(Comparator.comparingLong(AbortedTxn::firstOffset));
        this.notYetReached = new ArrayDeque<>(sorted);
    }

    private void reach(long offset) {
        while (!notYetReached.isEmpty() && notYetReached.peekFirst().firstOffset() <= offset) {
            AbortedTxn txn = notYetReached.pollFirst();
            ongoingAborted.putIfAbsent(txn.producerId(), new Ongoing(txn));
        }
    }

    /** True when the (non-control) batch is aborted data, to be dropped. */
    boolean isAbortedData(RecordBatch batch) {
        reach(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        Ongoing aborted = ongoingAborted.get(batch.producerId());
        if (aborted != null) {
            aborted.dataMet = true;
            return true;
        }
        ongoingCommitted.add(batch.producerId());
        return false;
    }

    /**
     * True when the control batch's transaction has no data left in the log, so its marker may go after the delete
     * horizon. An emptied control batch (no record: a cleaning kept only its header) may always go; a control record
     * that is not a transaction marker never.
     */
    boolean markerRemovable(RecordBatch control) {
        reach(control.lastOffset());
        if (control.recordCount() == 0) {
            return true;
        }
        EndTransactionMarker marker;
        try {
            marker = EndTransactionMarker.read(control);
        } catch (InvalidRecordException notAMarker) {
            return false;
        }
        long producerId = control.producerId();
        boolean dataMet = ongoingCommitted.remove(producerId);
        if (marker.type() == EndTransactionMarker.ControlType.ABORT) {
            Ongoing aborted = ongoingAborted.remove(producerId);
            if (dataMet) {
                return false; // data of this producer the index does not call aborted: keep the marker, to be safe
            }
            if (aborted != null && aborted.dataMet) {
                return false;
            }
            if (aborted != null) {
                forgettable.add(aborted.txn);
            }
            return true;
        }
        return !dataMet;
    }

    /** The index entries of ABORT markers found removable so far, cleared by the call. */
    List<AbortedTxn> forgettable() {
        List<AbortedTxn> taken = List.copyOf(forgettable);
        forgettable.clear();
        return taken;
    }
}
