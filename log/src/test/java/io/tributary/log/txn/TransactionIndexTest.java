package io.tributary.log.txn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The .txnindex file: 34-byte entries, a torn tail cut at open, truncation, and the per-log set of indices. */
class TransactionIndexTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreThirtyFourBytesAndATornTailIsCutWhenOpened() throws IOException {
        Path file = dir.resolve("00000000000000000000.txnindex");
        TransactionIndex index = TransactionIndex.open(file, 0);
        index.append(new AbortedTxn(1, 0, 5, 6));
        index.append(new AbortedTxn(2, 3, 9, 10));
        index.close();
        assertThat(Files.size(file)).isEqualTo(2 * TransactionIndex.ENTRY_SIZE);
        Files.write(file, new byte[]{0, 0, 0}, StandardOpenOption.APPEND); // a crash inside a third entry

        TransactionIndex reopened = TransactionIndex.open(file, 0);
        assertThat(reopened.entries()).containsExactly(new AbortedTxn(1, 0, 5, 6), new AbortedTxn(2, 3, 9, 10));
        assertThat(Files.size(file)).isEqualTo(2 * TransactionIndex.ENTRY_SIZE);
        assertThatThrownBy(() -> reopened.append(new AbortedTxn(3, 8, 9, 10))).isInstanceOf(IllegalArgumentException.class);

        reopened.truncateTo(9);
        assertThat(reopened.entries()).containsExactly(new AbortedTxn(1, 0, 5, 6));
        assertThat(Files.size(file)).isEqualTo(TransactionIndex.ENTRY_SIZE);
        List<AbortedTxn> found = new ArrayList<>();
        assertThat(reopened.collect(5, 6, found)).as("its last stable offset 6 reaches the bound").isTrue();
        assertThat(reopened.collect(6, 100, found)).isFalse();
        assertThat(found).containsExactly(new AbortedTxn(1, 0, 5, 6));
        reopened.close();
    }

    @Test
    void anIndexWithoutItsSegmentIsMergedIntoTheSegmentThatHoldsItsOffsets() {
        TransactionIndexes before = TransactionIndexes.load(dir, new TreeSet<>(List.of(0L, 10L, 20L)));
        before.append(0, new AbortedTxn(1, 0, 4, 5));
        before.append(10, new AbortedTxn(2, 5, 12, 13));
        before.append(20, new AbortedTxn(3, 14, 22, 23));
        before.close();
        // As a crashed cleaner swap leaves it: segments 0 and 10 became one segment at 0.
        TransactionIndexes after = TransactionIndexes.load(dir, new TreeSet<>(List.of(0L, 20L)));
        assertThat(after.entriesBySegment().keySet()).containsExactly(0L, 20L);
        assertThat(after.entriesBySegment().get(0L)).containsExactly(new AbortedTxn(1, 0, 4, 5), new AbortedTxn(2, 5, 12, 13));
        assertThat(Files.exists(dir.resolve("00000000000000000010.txnindex"))).isFalse();
        assertThat(after.collect(13, 30)).containsExactly(new AbortedTxn(3, 14, 22, 23));
        assertThat(after.collect(0, 6)).containsExactly(new AbortedTxn(1, 0, 4, 5), new AbortedTxn(2, 5, 12, 13));

        after.segmentsMerged(List.of(0L, 20L), 0);
        assertThat(after.entriesBySegment().keySet()).containsExactly(0L);
        assertThat(after.collect(0, 30)).hasSize(3);
        after.close();
    }
}
