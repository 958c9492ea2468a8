package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.EndTransactionMarker.ControlType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tributary.log.KeyedRecords.bytes;
import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction of a log with transactions, Kafka's rules: aborted data goes (and never supersedes committed values),
 * markers stay while data of their transaction may be in the log, then get a delete horizon and go after it; an
 * ABORT marker's aborted-transaction index entry goes before the marker does; nothing at or past the last stable
 * offset is touched.
 */
class TransactionalCompactionTest {
    private static final long RETENTION_MS = 1_000;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final List<PartitionLog> opened = new ArrayList<>();
    private final LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
    private final Map<Long, Integer> sequences = new HashMap<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
        cleaner.close();
    }

    private PartitionLog compactedLog() {
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(Map.of("cleanup.policy", "compact",
            "delete.retention.ms", Long.toString(RETENTION_MS))), clock);
        opened.add(log);
        return log;
    }

    /** A transactional batch of {@code producerId}, sequences continuing from its previous one. */
    private void transactional(PartitionLog log, long producerId, KeyValue... records) {
        int sequence = sequences.getOrDefault(producerId, 0);
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none())
            .producer(producerId, EPOCH, sequence)
            .transactional(true);
        for (KeyValue record : records) {
            builder.append(clock.millis(), bytes(record.key()), bytes(record.value()));
        }
        sequences.put(producerId, sequence + records.length);
        TransactionalBatches.appendAsLeader(log, builder.build());
    }

    private static long marker(PartitionLog log, long producerId, ControlType type) {
        MarkerAppend appended = log.appendTransactionMarker(producerId, EPOCH, new EndTransactionMarker(type, 0), 0);
        assertThat(appended.refusal()).isNull();
        return appended.appended().result().firstOffset();
    }

    private static void plain(PartitionLog log, long timestamp, KeyValue... records) {
        log.append(KeyedRecords.batch(Compression.none(), timestamp, List.of(records)), 0);
    }

    /**
     * The cleaner stops at the bound the replication layer gives it (the high watermark): newer values above it may
     * still be truncated by a leader change, so they must not yet remove the older values of their keys.
     */
    @Test
    void theCleanerStopsAtTheHighWatermarkItIsBoundedBy() {
        PartitionLog log = compactedLog();
        for (int i = 0; i < 5; i++) {
            plain(log, clock.millis(), kv("k" + i, "old-" + i));
        }
        log.roll();
        long replicated = log.logEndOffset();
        for (int i = 0; i < 5; i++) {
            plain(log, clock.millis(), kv("k" + i, "new-" + i)); // not yet replicated
        }
        log.roll();
        log.boundCleaningAt(replicated);
        cleaner.cleanNow(log);
        assertThat(dataEntries(log)).as("nothing superseded by records above the high watermark").hasSize(10);

        log.boundCleaningAt(log.logEndOffset()); // replicated now: the old values may go
        cleaner.cleanNow(log);
        assertThat(dataEntries(log)).extracting(Entry::value).containsExactly("new-0", "new-1", "new-2", "new-3", "new-4");
    }

    /** The records of the data batches, markers left out. */
    private static List<Entry> dataEntries(PartitionLog log) {
        List<Entry> entries = new ArrayList<>();
        KeyedRecords.batches(log).stream().filter(b -> !b.isControlBatch()).forEach(b -> entries.addAll(KeyedRecords.entries(b)));
        return entries;
    }

    private static List<RecordBatch> controlBatches(PartitionLog log) {
        return KeyedRecords.batches(log).stream().filter(RecordBatch::isControlBatch).toList();
    }

    /** What a read_committed consumer delivers: Kafka's consumer rule over the batches and the aborted transactions. */
    private static List<Entry> readCommitted(PartitionLog log) {
        List<AbortedTxn> aborted = new ArrayList<>(log.collectAbortedTransactions(log.logStartOffset(), log.logEndOffset()));
        aborted.sort(java.util.Comparator.comparingLong(AbortedTxn::firstOffset));
        java.util.Set<Long> abortedProducers = new java.util.HashSet<>();
        List<Entry> delivered = new ArrayList<>();
        int next = 0;
        for (RecordBatch batch : KeyedRecords.batches(log)) {
            while (next < aborted.size() && aborted.get(next).firstOffset() <= batch.lastOffset()) {
                abortedProducers.add(aborted.get(next++).producerId());
            }
            if (batch.isControlBatch()) {
                if (batch.recordCount() > 0 && EndTransactionMarker.read(batch).type() == ControlType.ABORT) {
                    abortedProducers.remove(batch.producerId());
                }
            } else if (!(batch.isTransactional() && abortedProducers.contains(batch.producerId()))) {
                delivered.addAll(KeyedRecords.entries(batch));
            }
        }
        return delivered;
    }

    @Test
    void abortedDataGoesFirstThenTheIndexEntryThenTheMarkerAfterTheDeleteHorizon() {
        PartitionLog log = compactedLog();
        transactional(log, 8, kv("k1", "committed"));      // 0
        long commit8 = marker(log, 8, ControlType.COMMIT);  // 1
        transactional(log, 7, kv("k1", "aborted"), kv("k2", "aborted"));  // 2-3: later than the committed k1
        long abort7 = marker(log, 7, ControlType.ABORT);    // 4
        plain(log, clock.millis(), kv("k2", "plain"));      // 5
        transactional(log, 7, kv("k3", "aborted-too"));     // 6
        long lastAbort7 = marker(log, 7, ControlType.ABORT); // 7
        log.roll();
        List<Entry> committedView = readCommitted(log);
        assertThat(committedView).extracting(Entry::value).containsExactly("committed", "plain");
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).hasSize(2);

        // Pass 1: the aborted batches go and their keys were never mapped, so the committed k1 stays.
        cleaner.cleanNow(log);
        assertThat(dataEntries(log)).extracting(Entry::key, Entry::value)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", "committed"), org.assertj.core.groups.Tuple.tuple("k2", "plain"));
        assertThat(controlBatches(log)).extracting(RecordBatch::baseOffset).containsExactly(commit8, abort7, lastAbort7);
        assertThat(controlBatches(log)).noneMatch(RecordBatch::hasDeleteHorizon);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset()))
            .as("the markers and their entries stay one more pass: a consumer may have read the data before the cleaning")
            .hasSize(2);
        assertThat(readCommitted(log)).isEqualTo(committedView);

        // Pass 2: no aborted data left: the ABORT markers get a horizon and their index entries go; the COMMIT
        // marker's transaction still has data (k1), so it stays as it is.
        cleaner.cleanNow(log);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).isEmpty();
        assertThat(log.abortedTransactionIndex().values()).allMatch(List::isEmpty);
        List<RecordBatch> markers = controlBatches(log);
        assertThat(markers).extracting(RecordBatch::baseOffset).containsExactly(commit8, abort7, lastAbort7);
        assertThat(markers.get(0).hasDeleteHorizon()).isFalse();
        assertThat(markers.get(1).hasDeleteHorizon()).isTrue();
        assertThat(markers.get(1).deleteHorizonMs()).isEqualTo(clock.millis() + RETENTION_MS);
        assertThat(EndTransactionMarker.read(markers.get(1)).type()).isEqualTo(ControlType.ABORT);
        assertThat(markers.get(1).isTransactional()).isTrue();
        assertThat(readCommitted(log)).isEqualTo(committedView);

        // Before the horizon nothing more goes; after it the ABORT markers do, except producer 7's last batch,
        // whose bare header stays so its producer state can be rebuilt from the log.
        cleaner.cleanNow(log);
        assertThat(controlBatches(log)).hasSize(3);
        clock.advance(RETENTION_MS + 1);
        cleaner.cleanNow(log);
        markers = controlBatches(log);
        assertThat(markers).extracting(RecordBatch::baseOffset).containsExactly(commit8, lastAbort7);
        assertThat(markers.get(1).recordCount()).as("producer 7's last batch: header only").isZero();
        assertThat(markers.get(1).producerId()).isEqualTo(7);
        assertThat(readCommitted(log)).isEqualTo(committedView);
        assertThat(log.logEndOffset()).isEqualTo(lastAbort7 + 1);
    }

    @Test
    void aCommitMarkerGoesOnceItsDataIsCompactedAway() {
        PartitionLog log = compactedLog();
        transactional(log, 8, kv("k", "old"));           // 0
        long commit = marker(log, 8, ControlType.COMMIT); // 1
        plain(log, clock.millis(), kv("k", "new"));      // 2
        transactional(log, 9, kv("other", "x"));         // 3: producer 9 keeps its own last batch
        marker(log, 9, ControlType.COMMIT);              // 4
        log.roll();

        cleaner.cleanNow(log); // "old" superseded by "new"; the marker still met its transaction's batch
        assertThat(dataEntries(log)).extracting(Entry::value).containsExactly("new", "x");
        cleaner.cleanNow(log); // now no data of producer 8's transaction: horizon
        RecordBatch marker8 = controlBatches(log).get(0);
        assertThat(marker8.baseOffset()).isEqualTo(commit);
        assertThat(marker8.hasDeleteHorizon()).isTrue();
        clock.advance(RETENTION_MS + 1);
        cleaner.cleanNow(log);
        // Producer 8's last batch is that marker: only its bare header stays.
        RecordBatch left = controlBatches(log).get(0);
        assertThat(left.baseOffset()).isEqualTo(commit);
        assertThat(left.recordCount()).isZero();
    }

    @Test
    void nothingAtOrPastTheLastStableOffsetIsCleaned() {
        PartitionLog log = compactedLog();
        plain(log, clock.millis(), kv("k", "first"));    // 0
        transactional(log, 5, kv("k", "open"));          // 1: an open transaction
        plain(log, clock.millis(), kv("k", "later"));    // 2
        log.roll();
        assertThat(log.lastStableOffset()).isEqualTo(1);

        cleaner.cleanNow(log);
        assertThat(dataEntries(log)).extracting(Entry::value)
            .as("'open' may still be committed or aborted, and 'later' may not be used to remove anything past the LSO")
            .containsExactly("first", "open", "later");

        marker(log, 5, ControlType.ABORT);               // 3
        log.roll();
        cleaner.cleanNow(log);
        assertThat(dataEntries(log)).extracting(Entry::value).containsExactly("later");
        assertThat(readCommitted(log)).extracting(Entry::value).containsExactly("later");
    }

    @Test
    void theIndexWithoutTheForgottenEntriesSurvivesARestart() {
        PartitionLog log = compactedLog();
        transactional(log, 7, kv("a", "1"));
        marker(log, 7, ControlType.ABORT);
        transactional(log, 6, kv("b", "1"));
        marker(log, 6, ControlType.ABORT);
        plain(log, clock.millis(), kv("c", "1"));
        log.roll();
        cleaner.cleanNow(log);
        cleaner.cleanNow(log);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).isEmpty();
        log.close();
        opened.remove(log);

        PartitionLog reopened = compactedLog();
        assertThat(reopened.collectAbortedTransactions(0, reopened.logEndOffset())).isEmpty();
        assertThat(readCommitted(reopened)).extracting(Entry::value).containsExactly("1");
    }
}
