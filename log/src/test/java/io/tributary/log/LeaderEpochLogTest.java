package io.tributary.log;

import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.log.epoch.EpochEntry;
import io.tributary.log.epoch.LeaderEpochCheckpointFile;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader-epoch cache through the partition log: appends with rising epochs, truncation, retention, reopening,
 * and the checkpoint file torn, missing, wrong, or ahead of the recovered log.
 */
class LeaderEpochLogTest {
    /** Epochs 0, 0, 2, 5, 5 in batches of three records: offsets 0-5 at epoch 0, 6-8 at 2, 9-14 at 5. */
    private static final int[] EPOCHS = {0, 0, 2, 5, 5};
    private static final List<EpochEntry> WRITTEN = List.of(new EpochEntry(0, 0), new EpochEntry(2, 6), new EpochEntry(5, 9));

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(1_000);
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

    private PartitionLog reopen(PartitionLog log, boolean clean) {
        log.close();
        opened.remove(log);
        PartitionLog reopened = clean ? LogTestSupport.open(dir, log.config(), clock)
            : LogTestSupport.reopenUnclean(dir, log.config(), clock, 0);
        opened.add(reopened);
        return reopened;
    }

    private PartitionLog written() {
        PartitionLog log = open(Map.of());
        for (int epoch : EPOCHS) {
            log.append(TestBatches.batch(3, clock.millis(), 20), epoch);
        }
        return log;
    }

    private Path checkpoint() {
        return dir.resolve(LeaderEpochCheckpointFile.FILE_NAME);
    }

    @Test
    void aNewLogRecordsTheSingleBrokersEpochAtItsFirstOffset() throws IOException {
        PartitionLog log = open(Map.of());
        assertThat(log.leaderEpochCache().entries()).isEmpty();
        assertThat(Files.exists(checkpoint())).as("nothing to record before the first append").isFalse();

        log.append(TestBatches.batch(3, clock.millis(), 20), LeaderEpochs.SINGLE_BROKER);
        log.append(TestBatches.batch(2, clock.millis(), 20), LeaderEpochs.SINGLE_BROKER);

        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(LeaderEpochs.SINGLE_BROKER, 0));
        assertThat(Files.readString(checkpoint())).isEqualTo("0\n1\n0 0\n");
        assertThat(log.endOffsetForEpoch(LeaderEpochs.SINGLE_BROKER)).isEqualTo(new EpochEndOffset(0, 5));
    }

    @Test
    void risingEpochsStartEntriesAndAnswerOffsetForLeaderEpochAsKafka() {
        PartitionLog log = written();

        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);
        assertThat(LogTestSupport.readAll(log)).extracting(b -> RecordBatch.at(b, 0).partitionLeaderEpoch())
            .containsExactly(0, 0, 2, 5, 5);
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 6));
        assertThat(log.endOffsetForEpoch(1)).as("missing epoch: the largest below it").isEqualTo(new EpochEndOffset(0, 6));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 9));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(2, 9));
        assertThat(log.endOffsetForEpoch(5)).as("the latest epoch ends at the log end").isEqualTo(new EpochEndOffset(5, 15));
        assertThat(log.endOffsetForEpoch(6)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(log.endOffsetForEpoch(LeaderEpochs.UNDEFINED)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void truncationDropsTheTruncatedEpochsAndSurvivesAReopen() {
        PartitionLog log = written();

        log.truncateTo(9);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 6));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 9));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);

        log.truncateTo(4); // the batch holding offset 4 goes whole: the log ends at 3
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0));

        log.append(TestBatches.batch(3, clock.millis(), 20), 7);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(7, 3));
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(0, 3));

        for (boolean clean : new boolean[] {true, false}) {
            log = reopen(log, clean);
            assertThat(log.leaderEpochCache().entries()).as("clean=%s", clean).containsExactly(new EpochEntry(0, 0), new EpochEntry(7, 3));
            assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(7, 6));
        }
    }

    @Test
    void truncatingBelowTheLogStartEmptiesTheCache() {
        PartitionLog log = written();
        log.truncateTo(0);
        assertThat(log.leaderEpochCache().entries()).isEmpty();
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
        log.append(TestBatches.batch(1, clock.millis(), 20), 1);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(1, 0));
    }

    @Test
    void retentionMovesTheEarliestEntryUpToTheNewLogStart() {
        int batchSize = TestBatches.batch(3, 1000, 20).remaining();
        // One batch per segment; retention keeps the last two segments' bytes.
        PartitionLog log = open(Map.of("segment.bytes", String.valueOf(batchSize), "retention.bytes", String.valueOf(2 * batchSize)));
        for (int epoch : EPOCHS) {
            log.append(TestBatches.batch(3, clock.millis(), 20), epoch);
        }
        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);

        assertThat(log.deleteRetainedSegments()).isPositive();
        long start = log.logStartOffset();
        assertThat(start).isEqualTo(9);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(5, 9));
        assertThat(log.endOffsetForEpoch(2)).as("an epoch retention deleted: Kafka answers the first known start")
            .isEqualTo(new EpochEndOffset(2, 9));

        log = reopen(log, true);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(5, 9));
    }

    @Test
    void retentionInsideAnEpochKeepsItFromTheNewStart() {
        int batchSize = TestBatches.batch(3, 1000, 20).remaining();
        PartitionLog log = open(Map.of("segment.bytes", String.valueOf(batchSize), "retention.bytes", String.valueOf(4 * batchSize)));
        for (int epoch : EPOCHS) {
            log.append(TestBatches.batch(3, clock.millis(), 20), epoch);
        }
        log.deleteRetainedSegments();
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 3), new EpochEntry(2, 6), new EpochEntry(5, 9));
    }

    @Test
    void aTornOrGarbageCheckpointIsRebuiltFromTheBatchHeaders() throws IOException {
        PartitionLog log = written();
        String good = Files.readString(checkpoint());
        List<String> torn = List.of(
            good.substring(0, good.length() / 2),   // cut in the middle
            "",                                     // empty
            "0\n7\n0 0\n2 6\n5 9\n",                // wrong count
            "%$#@!\n\u0001\u0002garbage\n",         // garbage
            "0\n3\n0 0\n5 9\n2 6\n");               // entries out of order
        for (String content : torn) {
            log.close();
            opened.remove(log);
            Files.writeString(checkpoint(), content, StandardCharsets.ISO_8859_1);
            log = LogTestSupport.open(dir, log.config(), clock);
            opened.add(log);
            assertThat(log.leaderEpochCache().entries()).as("after '%s'", content).isEqualTo(WRITTEN);
            assertThat(Files.readString(checkpoint())).as("rewritten after '%s'", content).isEqualTo(good);
        }
    }

    @Test
    void aRebuildAcrossSegmentsFindsEpochsThatChangeInsideAndBetweenSegments() throws IOException {
        int batchSize = TestBatches.batch(2, 1000, 20).remaining();
        PartitionLog log = open(Map.of("segment.bytes", String.valueOf(2 * batchSize))); // two batches per segment
        int[] epochs = {0, 0, 0, 0, 2, 3, 3, 3, 5, 5, 5, 5, 7};      // segments [0 0] [0 0] [2 3] [3 3] [5 5] [5 5] [7]
        for (int epoch : epochs) {
            log.append(TestBatches.batch(2, clock.millis(), 20), epoch);
        }
        assertThat(log.segments()).hasSize(7);
        List<EpochEntry> written = List.of(new EpochEntry(0, 0), new EpochEntry(2, 8), new EpochEntry(3, 10),
            new EpochEntry(5, 16), new EpochEntry(7, 24));
        assertThat(log.leaderEpochCache().entries()).isEqualTo(written);

        for (String content : List.of("0\n1\n0 0\n", "garbage")) {
            log = reopenWith(log, content);
            assertThat(log.leaderEpochCache().entries()).as("after '%s'", content).isEqualTo(written);
        }
        log.close();
        opened.remove(log);
        Files.delete(checkpoint());
        log = LogTestSupport.reopenUnclean(dir, log.config(), clock, 0);
        opened.add(log);
        assertThat(log.leaderEpochCache().entries()).isEqualTo(written);
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(3, 16));
    }

    @Test
    void aMissingCheckpointOfALogWithBatchesIsRebuilt() throws IOException {
        PartitionLog log = written();
        log.close();
        opened.remove(log);
        Files.delete(checkpoint());

        log = open(Map.of());
        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);
        assertThat(LeaderEpochCheckpointFile.in(dir).read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(WRITTEN));
    }

    @Test
    void aCheckpointThatDisagreesWithTheBatchHeadersIsRebuilt() throws IOException {
        PartitionLog log = written();
        List<String> wrong = List.of(
            "0\n2\n0 0\n2 6\n",          // lags: the last epoch is missing (a failed write before a crash)
            "0\n2\n1 0\n5 9\n",          // the first batch was not written at epoch 1
            "0\n1\n5 0\n",                // everything at the latest epoch
            "0\n3\n2 4\n5 9\n6 12\n");  // the last batch was not written at epoch 6
        for (String content : wrong) {
            log = reopenWith(log, content);
            assertThat(log.leaderEpochCache().entries()).as("after '%s'", content).isEqualTo(WRITTEN);
            assertThat(LeaderEpochCheckpointFile.in(dir).read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(WRITTEN));
        }
    }

    @Test
    void entriesAtOrAboveTheRecoveredLogEndAreDropped() throws IOException {
        PartitionLog log = written();
        log = reopenWith(log, "0\n4\n0 0\n2 6\n5 9\n8 15\n"); // an epoch that never wrote: starts at the log end
        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);
        assertThat(LeaderEpochCheckpointFile.in(dir).read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(WRITTEN));
    }

    @Test
    void aCrashThatLosesTheNewestEpochsDataDropsItsEntry() throws IOException {
        PartitionLog log = written();
        log.append(TestBatches.batch(3, clock.millis(), 20), 9); // offsets 15-17; its entry is checkpointed at once
        int lastBatchSize = TestBatches.batch(3, clock.millis(), 20).remaining();
        assertThat(log.leaderEpochCache().latestEpoch()).isEqualTo(9);
        log.close();
        opened.remove(log);
        // The crash: the last batch never reached the disk, the checkpoint did.
        Path segment = dir.resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - lastBatchSize);
        }

        log = LogTestSupport.reopenUnclean(dir, log.config(), clock, 0);
        opened.add(log);
        assertThat(log.logEndOffset()).isEqualTo(15);
        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);
        assertThat(log.endOffsetForEpoch(9)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(LeaderEpochCheckpointFile.in(dir).read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(WRITTEN));
    }

    @Test
    void aTornTailAndATornCheckpointTogetherRecover() throws IOException {
        PartitionLog log = written();
        log.close();
        opened.remove(log);
        Path segment = dir.resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10); // half a batch
        }
        Files.write(checkpoint(), new byte[] {'0', '\n', '3', '\n', '0'});

        log = LogTestSupport.reopenUnclean(dir, log.config(), clock, 0);
        opened.add(log);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.leaderEpochCache().entries()).isEqualTo(WRITTEN);
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 12));
    }

    private PartitionLog reopenWith(PartitionLog log, String checkpointContent) throws IOException {
        log.close();
        opened.remove(log);
        Files.writeString(checkpoint(), checkpointContent);
        PartitionLog reopened = LogTestSupport.open(dir, log.config(), clock);
        opened.add(reopened);
        return reopened;
    }
}
