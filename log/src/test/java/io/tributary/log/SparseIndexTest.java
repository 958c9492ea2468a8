package io.tributary.log;

import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.OffsetPosition;
import io.tributary.log.index.TimeIndex;
import io.tributary.log.index.TimestampOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparseIndexTest {
    @TempDir
    Path dir;

    @Test
    void offsetIndexIsPreallocatedAnsweredAndTrimmed() throws Exception {
        Path file = dir.resolve("00000000000000000100.index");
        OffsetIndex index = new OffsetIndex(file, 100, 80);
        assertThat(Files.size(file)).isEqualTo(80);
        assertThat(index.maxEntries()).isEqualTo(10);
        index.append(105, 0);
        index.append(110, 4096);
        index.append(130, 9000);
        assertThat(index.lookup(99)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(105)).isEqualTo(new OffsetPosition(105, 0));
        assertThat(index.lookup(129)).isEqualTo(new OffsetPosition(110, 4096));
        assertThat(index.lookup(1000)).isEqualTo(new OffsetPosition(130, 9000));
        assertThat(index.lookupByPosition(8999)).isEqualTo(new OffsetPosition(110, 4096));

        assertThatThrownBy(() -> index.append(130, 9500)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("offset 130").hasMessageContaining(file.toString());

        index.truncateTo(110);
        assertThat(index.entries()).isEqualTo(1);
        index.append(111, 5000);
        index.close();
        assertThat(Files.size(file)).isEqualTo(16);

        OffsetIndex reopened = new OffsetIndex(file, 100, 80);
        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.isSane()).isTrue();
        assertThat(reopened.lastEntry()).isEqualTo(new OffsetPosition(111, 5000));
        reopened.resize(80);
        assertThat(Files.size(file)).isEqualTo(80);
        assertThat(reopened.entries()).isEqualTo(2);
        reopened.close();
    }

    @Test
    void anUntrimmedIndexFromACrashIsNotSane() throws Exception {
        Path file = dir.resolve("00000000000000000000.index");
        OffsetIndex index = new OffsetIndex(file, 0, 80);
        index.append(5, 100);
        index.append(9, 200);
        index.flush(); // never trimmed: the zero-filled preallocation stays

        OffsetIndex afterCrash = new OffsetIndex(file, 0, 80);
        assertThat(afterCrash.entries()).isEqualTo(10);
        assertThat(afterCrash.isSane()).isFalse();
        index.close();
        afterCrash.close();
    }

    @Test
    void timeIndexKeepsOnlyGrowingTimestamps() {
        TimeIndex index = new TimeIndex(dir.resolve("00000000000000000000.timeindex"), 0, 120);
        assertThat(index.maxEntries()).isEqualTo(10);
        index.maybeAppend(-1, 0); // no timestamp: nothing to index
        index.maybeAppend(1000, 4);
        index.maybeAppend(900, 8); // older than the last entry: already bounded by it
        index.maybeAppend(1500, 12);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lastEntryBefore(1000)).isNull();
        assertThat(index.lastEntryBefore(1001)).isEqualTo(new TimestampOffset(1000, 4));
        assertThat(index.lastEntryBefore(99_999)).isEqualTo(new TimestampOffset(1500, 12));
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(1500, 12));
        assertThatThrownBy(() -> index.maybeAppend(2000, 12)).isInstanceOf(IllegalStateException.class);
        index.truncateTo(12);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(1000, 4));
        index.close();
    }
}
