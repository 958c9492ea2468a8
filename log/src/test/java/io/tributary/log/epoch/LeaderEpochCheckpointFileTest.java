package io.tributary.log.epoch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderEpochCheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void writesKafkasTextFormatAndReadsItBack() throws Exception {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.in(dir);
        List<EpochEntry> entries = List.of(new EpochEntry(0, 0), new EpochEntry(3, 1534), new EpochEntry(4, 2000));
        file.write(entries);

        assertThat(file.file().getFileName().toString()).isEqualTo("leader-epoch-checkpoint");
        assertThat(Files.readString(file.file())).isEqualTo("0\n3\n0 0\n3 1534\n4 2000\n");
        assertThat(file.read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(entries));
        assertThat(Files.exists(dir.resolve("leader-epoch-checkpoint.tmp"))).isFalse();
    }

    @Test
    void readsKafkasWhiteSpaceAndAnEmptyList() throws Exception {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.in(dir);
        Files.writeString(file.file(), "0\n2\n0  1\n1\t2\n");
        assertThat(file.read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(List.of(new EpochEntry(0, 1), new EpochEntry(1, 2))));

        file.write(List.of());
        assertThat(Files.readString(file.file())).isEqualTo("0\n0\n");
        assertThat(file.read()).isEqualTo(new LeaderEpochCheckpointFile.Entries(List.of()));
    }

    @Test
    void aMissingFileIsMissing() {
        assertThat(LeaderEpochCheckpointFile.in(dir).read()).isInstanceOf(LeaderEpochCheckpointFile.Missing.class);
    }

    @Test
    void tornGarbageAndInconsistentFilesAreMalformed() throws Exception {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.in(dir);
        List<String> bad = List.of(
            "",                          // torn before anything was written
            "0\n",                       // torn after the version
            "0\n3\n0 0\n3 15",           // torn inside the entries: the count says 3
            "0\n2\n0 0\n1 10\n2 20\n",   // more entries than counted
            "1\n1\n0 0\n",               // another version
            "0\n1\n0\n",                 // an entry without its offset
            "0\n1\n0 0 7\n",             // three fields
            "0\n1\n-1 0\n",              // negative epoch
            "0\n2\n2 10\n1 20\n",        // epochs out of order
            "0\n2\n1 20\n2 20\n",        // start offsets not increasing
            "0\ntwo\n0 0\n1 5\n",        // the count is not a number
            "\u0000\u0000garbage\u0001\n\n");
        for (String content : bad) {
            Files.writeString(file.file(), content, StandardCharsets.ISO_8859_1);
            assertThat(file.read()).as("'%s'", content).isInstanceOf(LeaderEpochCheckpointFile.Malformed.class);
        }
        Files.write(file.file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        assertThat(file.read()).as("bytes that are not UTF-8").isInstanceOf(LeaderEpochCheckpointFile.Malformed.class);
    }

    @Test
    void aCacheOverAMalformedFileStartsEmpty() throws Exception {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.in(dir);
        Files.writeString(file.file(), "0\n5\n0 0\n");
        LeaderEpochFileCache cache = LeaderEpochFileCache.fromCheckpoint(new io.tributary.protocol.TopicPartition("t", 0), file);
        assertThat(cache.entries()).isEmpty();
        assertThat(cache.latestEpoch()).isEqualTo(LeaderEpochs.UNDEFINED);
    }
}
