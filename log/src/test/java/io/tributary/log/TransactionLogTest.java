package io.tributary.log;

import io.tributary.log.producer.ProducerRefusal;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.log.txn.TransactionIndex;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.EndTransactionMarker.ControlType;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tributary.log.TransactionalBatches.appendAsLeader;
import static io.tributary.log.TransactionalBatches.batch;
import static io.tributary.log.TransactionalBatches.plain;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions in one partition log: transactional batches and markers, the last stable offset, the
 * aborted-transaction index and its rebuild, truncation, and the read bound a read_committed fetch uses.
 */
class TransactionLogTest {
    private static final short EPOCH = 0;
    private static final long T = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }

    private PartitionLog open(Map<String, String> overrides) {
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(overrides), clock);
        opened.add(log);
        return log;
    }

    private PartitionLog reopenUnclean(Map<String, String> overrides, long recoveryPoint) {
        PartitionLog log = LogTestSupport.reopenUnclean(dir, LogTestSupport.config(overrides), clock, recoveryPoint);
        opened.add(log);
        return log;
    }

    private static MarkerAppend marker(PartitionLog log, long producerId, short epoch, int coordinatorEpoch, ControlType type) {
        return log.appendTransactionMarker(producerId, epoch, new EndTransactionMarker(type, coordinatorEpoch), 0);
    }

    private static long markerOffset(MarkerAppend appended) {
        assertThat(appended.refusal()).isNull();
        return appended.appended().result().firstOffset();
    }

    /** What a crash before any snapshot leaves: the state must come back from the log alone. */
    static void deleteSnapshots(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.snapshot")) {
            for (Path file : files) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theLastStableOffsetStopsAtTheOldestOpenTransactionUntilItsMarker() {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, plain(2, T));
        assertThat(log.lastStableOffset()).isEqualTo(2).isEqualTo(log.logEndOffset());

        long first7 = appendAsLeader(log, batch(7, EPOCH, 0, 3, true, T)); // 2..4
        long first8 = appendAsLeader(log, batch(8, EPOCH, 0, 2, true, T)); // 5..6
        appendAsLeader(log, batch(7, EPOCH, 3, 1, true, T));              // 7
        appendAsLeader(log, plain(1, T));                                   // 8
        assertThat(first7).isEqualTo(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.openTransactions()).containsExactly(Map.entry(2L, 7L), Map.entry(5L, 8L));

        long commit7 = markerOffset(marker(log, 7, EPOCH, 0, ControlType.COMMIT)); // 9
        assertThat(log.lastStableOffset()).as("producer 8's transaction is still open").isEqualTo(first8);
        MarkerAppend abort8 = marker(log, 8, EPOCH, 0, ControlType.ABORT);       // 10
        assertThat(abort8.completed().aborted()).isTrue();
        assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset()).isEqualTo(11);
        assertThat(log.openTransactions()).isEmpty();
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset()))
            .containsExactly(new AbortedTxn(8, 5, 10, 11));
        assertThat(commit7).isEqualTo(9);

        RecordBatch markerBatch = RecordBatch.at(LogTestSupport.readFrom(log, 10, 1 << 16).get(0), 0);
        assertThat(markerBatch.isControlBatch()).isTrue();
        assertThat(markerBatch.isTransactional()).isTrue();
        assertThat(markerBatch.producerId()).isEqualTo(8);
        assertThat(EndTransactionMarker.read(markerBatch)).isEqualTo(new EndTransactionMarker(ControlType.ABORT, 0));
    }

    @Test
    void aReadBoundedByTheLastStableOffsetEndsBeforeTheOpenTransaction() throws IOException {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, plain(2, T));
        appendAsLeader(log, batch(7, EPOCH, 0, 3, true, T)); // 2..4
        appendAsLeader(log, plain(1, T));                      // 5: above the LSO
        try (LogSlice slice = log.read(0, 1 << 20, true, log.lastStableOffset())) {
            assertThat(slice.nextOffset()).isEqualTo(2);
            assertThat(LogTestSupport.baseOffset(slice.readIntoHeap())).isEqualTo(0);
        }
        try (LogSlice slice = log.read(2, 1 << 20, true, log.lastStableOffset())) {
            assertThat(slice.isEmpty()).isTrue();
        }
        try (LogSlice slice = log.read(0, 1 << 20, true)) {
            assertThat(slice.nextOffset()).as("read_uncommitted reads to the end").isEqualTo(6);
        }
        markerOffset(marker(log, 7, EPOCH, 0, ControlType.COMMIT));
        try (LogSlice slice = log.read(2, 1 << 20, true, log.lastStableOffset())) {
            assertThat(slice.nextOffset()).isEqualTo(7);
        }
    }

    @Test
    void markersOfAStaleProducerEpochOrCoordinatorEpochAreRefused() {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, batch(7, (short) 3, 0, 1, true, T));
        markerOffset(marker(log, 7, (short) 3, 5, ControlType.COMMIT));
        long end = log.logEndOffset();
        assertThat(marker(log, 7, (short) 2, 5, ControlType.ABORT).refusal().kind()).isEqualTo(ProducerRefusal.Kind.FENCED_EPOCH);
        assertThat(marker(log, 7, (short) 3, 4, ControlType.ABORT).refusal().kind())
            .isEqualTo(ProducerRefusal.Kind.FENCED_COORDINATOR);
        assertThat(log.logEndOffset()).as("nothing written").isEqualTo(end);
        MarkerAppend noTransaction = marker(log, 7, (short) 3, 5, ControlType.COMMIT);
        assertThat(noTransaction.completed()).as("no transaction was open; the marker is written all the same").isNull();
        assertThat(log.logEndOffset()).isEqualTo(end + 1);
    }

    @Test
    void theAbortIsIndexedInTheSegmentHoldingItsMarkerInKafkasEntryFormat() throws IOException {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, batch(7, EPOCH, 0, 2, true, T)); // 0..1
        log.roll();
        appendAsLeader(log, plain(3, T));                      // 2..4
        long abort = markerOffset(marker(log, 7, EPOCH, 0, ControlType.ABORT)); // 5
        assertThat(abort).isEqualTo(5);
        Path index = dir.resolve("00000000000000000002" + TransactionIndex.SUFFIX);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index));
        assertThat(bytes.remaining()).isEqualTo(34);
        assertThat(bytes.getShort()).as("version").isEqualTo((short) 0);
        assertThat(bytes.getLong()).as("producer id").isEqualTo(7);
        assertThat(bytes.getLong()).as("first offset").isEqualTo(0);
        assertThat(bytes.getLong()).as("last offset").isEqualTo(5);
        assertThat(bytes.getLong()).as("last stable offset").isEqualTo(6);
        assertThat(Files.exists(dir.resolve("00000000000000000000" + TransactionIndex.SUFFIX))).isFalse();

        assertThat(log.collectAbortedTransactions(0, 1)).as("fetching the transaction's first batch").hasSize(1);
        assertThat(log.collectAbortedTransactions(6, 7)).as("after its marker").isEmpty();
        assertThat(log.collectAbortedTransactions(2, 4)).as("inside its span").hasSize(1);
    }

    @Test
    void openTransactionsAndAbortsSurviveACleanRestart() {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, batch(7, EPOCH, 0, 2, true, T));
        marker(log, 7, EPOCH, 0, ControlType.ABORT);
        appendAsLeader(log, batch(8, EPOCH, 0, 2, true, T)); // 3..4, left open
        long stable = log.lastStableOffset();
        List<AbortedTxn> aborted = log.collectAbortedTransactions(0, log.logEndOffset());
        log.close();
        opened.clear();

        PartitionLog reopened = open(Map.of());
        assertThat(reopened.lastStableOffset()).isEqualTo(stable).isEqualTo(3);
        assertThat(reopened.openTransactions()).containsExactly(Map.entry(3L, 8L));
        assertThat(reopened.collectAbortedTransactions(0, reopened.logEndOffset())).isEqualTo(aborted);
        assertThat(reopened.producerEntry(8).currentTxnFirstOffset()).isEqualTo(3);
    }

    @Test
    void afterACrashTheIndexAndTheOpenTransactionsAreRebuiltFromTheLog() throws IOException {
        Map<String, String> small = Map.of("segment.bytes", "400");
        PartitionLog log = open(small);
        for (int round = 0; round < 6; round++) {
            appendAsLeader(log, batch(7, EPOCH, round * 2, 2, true, T));
            appendAsLeader(log, plain(2, T));
            marker(log, 7, EPOCH, 0, round % 2 == 0 ? ControlType.ABORT : ControlType.COMMIT);
        }
        appendAsLeader(log, batch(9, EPOCH, 0, 1, true, T)); // left open
        assertThat(log.segments()).hasSizeGreaterThan(2);
        Map<Long, List<AbortedTxn>> index = log.abortedTransactionIndex();
        long stable = log.lastStableOffset();
        long end = log.logEndOffset();
        log.flush();
        log.close();
        opened.clear();
        // The crash: no snapshot survived, nor any index file.
        deleteSnapshots(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TransactionIndex.SUFFIX)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        PartitionLog recovered = reopenUnclean(small, 0);
        assertThat(recovered.logEndOffset()).isEqualTo(end);
        assertThat(recovered.abortedTransactionIndex()).isEqualTo(index);
        assertThat(recovered.lastStableOffset()).isEqualTo(stable);
        assertThat(recovered.collectAbortedTransactions(0, end)).hasSize(3);
    }

    @Test
    void truncationRemovesTheIndexEntriesOfLostMarkersAndReopensTheirTransactions() {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, batch(7, EPOCH, 0, 2, true, T)); // 0..1
        appendAsLeader(log, plain(1, T));                      // 2
        long abort = markerOffset(marker(log, 7, EPOCH, 0, ControlType.ABORT)); // 3
        appendAsLeader(log, plain(1, T));                      // 4
        assertThat(log.lastStableOffset()).isEqualTo(5);

        log.truncateTo(abort);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.collectAbortedTransactions(0, 3)).isEmpty();
        assertThat(log.openTransactions()).containsExactly(Map.entry(0L, 7L));
        assertThat(log.lastStableOffset()).isEqualTo(0);

        long again = markerOffset(marker(log, 7, EPOCH, 0, ControlType.COMMIT));
        assertThat(again).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(4);
        assertThat(log.collectAbortedTransactions(0, 4)).isEmpty();
    }

    @Test
    void retentionDeletesTheIndexWithItsSegment() {
        Map<String, String> overrides = Map.of("retention.ms", "1000");
        PartitionLog log = open(overrides);
        appendAsLeader(log, batch(7, EPOCH, 0, 2, true, T));
        marker(log, 7, EPOCH, 0, ControlType.ABORT);
        log.roll();
        Path index = dir.resolve("00000000000000000000" + TransactionIndex.SUFFIX);
        assertThat(Files.exists(index)).isTrue();
        clock.advance(10_000);
        assertThat(log.deleteRetainedSegments()).isGreaterThanOrEqualTo(1);
        assertThat(Files.exists(index)).isFalse();
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).isEmpty();
    }

    @Test
    void aLogWithoutTransactionsKeepsWritingVersionOneSnapshots() throws IOException {
        PartitionLog log = open(Map.of());
        appendAsLeader(log, batch(7, EPOCH, 0, 2, false, T));
        log.close();
        opened.clear();
        Path snapshot = dir.resolve("00000000000000000002.snapshot");
        assertThat(ByteBuffer.wrap(Files.readAllBytes(snapshot)).getShort()).isEqualTo((short) 1);

        PartitionLog reopened = open(Map.of());
        appendAsLeader(reopened, batch(8, EPOCH, 0, 1, true, T));
        reopened.close();
        opened.clear();
        assertThat(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("00000000000000000003.snapshot"))).getShort())
            .isEqualTo((short) 2);
    }

    @Test
    void aProducerWithAnOpenTransactionDoesNotExpire() {
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, LogConfig.defaults(), 0, true,
            new LogContext(clock, Runnable::run, new LogListeners(), 1_000));
        opened.add(log);
        appendAsLeader(log, batch(7, EPOCH, 0, 1, true, T));
        appendAsLeader(log, batch(8, EPOCH, 0, 1, false, T));
        clock.advance(5_000);
        assertThat(log.producerEntry(8)).as("idle idempotent producer expired").isNull();
        assertThat(log.producerEntry(7)).as("its transaction is open").isNotNull();
        assertThat(log.lastStableOffset()).isZero();
        markerOffset(marker(log, 7, EPOCH, 0, ControlType.COMMIT));
        clock.advance(5_000);
        assertThat(log.producerEntry(7)).as("expires once its transaction ended").isNull();
    }

    private static ByteBuffer keyed(long producerId, int sequence, boolean transactional, String... keys) {
        io.tributary.protocol.record.RecordBatchBuilder builder =
            new io.tributary.protocol.record.RecordBatchBuilder(io.tributary.protocol.record.compression.Compression.none());
        if (producerId >= 0) {
            builder.producer(producerId, EPOCH, sequence).transactional(transactional);
        }
        for (String key : keys) {
            builder.append(T, ByteBuffer.wrap(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                ByteBuffer.wrap(("v" + sequence).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    @Test
    void theCleanersSwapMovesTheIndexEntriesIntoTheCleanedSegment() {
        Map<String, String> compact = Map.of("cleanup.policy", "compact");
        PartitionLog log = open(compact);
        appendAsLeader(log, keyed(7, 0, true, "k0", "k1", "k2"));  // 0..2
        log.roll();
        appendAsLeader(log, keyed(-1, 0, false, "k0", "k1", "k2")); // 3..5
        marker(log, 7, EPOCH, 0, ControlType.ABORT);                // 6
        log.roll();
        appendAsLeader(log, keyed(8, 0, true, "k3", "k4"));        // 7..8
        marker(log, 8, EPOCH, 0, ControlType.ABORT);                // 9
        log.roll();
        appendAsLeader(log, keyed(-1, 1, false, "k0", "k1", "k2")); // 10..12
        log.roll();
        long end = log.logEndOffset();
        List<AbortedTxn> before = log.collectAbortedTransactions(0, end);
        assertThat(before).containsExactly(new AbortedTxn(7, 0, 6, 7), new AbortedTxn(8, 7, 9, 10));
        assertThat(log.abortedTransactionIndex().keySet()).containsExactly(3L, 7L);

        io.tributary.log.cleaner.LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        try {
            cleaner.cleanNow(log);
        } finally {
            cleaner.close();
        }
        List<Long> bases = log.segments().stream().map(io.tributary.log.segment.LogSegment::baseOffset).toList();
        assertThat(bases).as("the cleaner merged segments").hasSizeLessThan(5);
        assertThat(bases).containsAll(log.abortedTransactionIndex().keySet());
        assertThat(log.collectAbortedTransactions(0, end)).isEqualTo(before);
        for (long base : log.abortedTransactionIndex().keySet()) {
            assertThat(Files.exists(dir.resolve(io.tributary.log.segment.LogSegment.fileName(base, TransactionIndex.SUFFIX)))).isTrue();
        }
        log.close();
        opened.clear();
        PartitionLog reopened = open(compact);
        assertThat(reopened.collectAbortedTransactions(0, end)).isEqualTo(before);
        assertThat(reopened.abortedTransactionIndex().keySet()).isEqualTo(log.abortedTransactionIndex().keySet());
    }

    @Test
    void theLastStableOffsetIsPublishedToListenersWhenATransactionOpensOrEnds() {
        LogListeners listeners = new LogListeners();
        List<Long> published = new ArrayList<>();
        listeners.add(new LogListener() {
            @Override
            public void lastStableOffsetChanged(PartitionLog changed, long lastStableOffset) {
                published.add(lastStableOffset);
            }
        });
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, LogConfig.defaults(), 0, true,
            new LogContext(clock, Runnable::run, listeners, LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS));
        opened.add(log);
        appendAsLeader(log, plain(2, T));
        assertThat(published).as("no transaction, no event").isEmpty();
        appendAsLeader(log, batch(7, EPOCH, 0, 2, true, T));
        marker(log, 7, EPOCH, 0, ControlType.COMMIT);
        assertThat(published).containsExactly(2L, 5L);
    }
}
