package io.tributary.log.segment;

import io.tributary.log.TestBatches;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one batch walker: headers and whole batches, batches larger than its chunk, reuse across files, bad framing. */
class SegmentScannerTest {
    @TempDir
    Path dir;

    /** A copy: the scanner's view is valid only until its next call. */
    private static ByteBuffer bytesOf(RecordBatch batch) {
        ByteBuffer view = batch.buffer().duplicate();
        view.limit(batch.start() + batch.sizeInBytes()).position(batch.start());
        ByteBuffer copy = ByteBuffer.allocate(view.remaining());
        copy.put(view).flip();
        return copy;
    }

    private Path file(String name, List<ByteBuffer> batches, byte[] trailer) throws IOException {
        Path path = dir.resolve(name);
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (ByteBuffer batch : batches) {
                out.write(batch.duplicate());
            }
            out.write(ByteBuffer.wrap(trailer));
        }
        return path;
    }

    @Test
    void wholeBatchesLargerThanTheChunkAndReuseOnAnotherFile() throws IOException {
        List<ByteBuffer> batches = List.of(TestBatches.batch(2, 1L, 10), TestBatches.batch(20, 2L, 300), TestBatches.batch(1, 3L, 5));
        Path first = file("a.log", batches, new byte[0]);
        Path second = file("b.log", List.of(batches.get(2), batches.get(0)), new byte[0]);
        try (FileChannel a = FileChannel.open(first); FileChannel b = FileChannel.open(second)) {
            SegmentScanner scanner = new SegmentScanner(a, 0, a.size(), true, 128);
            List<ByteBuffer> read = new ArrayList<>();
            while (scanner.next()) {
                assertThat(scanner.header().recordCount()).isEqualTo(RecordBatch.at(batches.get(read.size()), 0).recordCount());
                read.add(bytesOf(scanner.batch()));
            }
            assertThat(scanner.invalidReason()).isNull();
            assertThat(read).containsExactlyElementsOf(batches);
            assertThat(batches.get(1).remaining()).as("the middle batch is larger than the chunk").isGreaterThan(128);

            scanner.reset(b, 0, b.size());
            read.clear();
            while (scanner.next()) {
                RecordBatch batch = scanner.batch();
                batch.ensureValid();
                read.add(bytesOf(batch));
            }
            assertThat(read).containsExactly(batches.get(2), batches.get(0));
        }
    }

    @Test
    void aTornTailStopsTheWalkWithTheReasonAndWhereTheValidPrefixEnds() throws IOException {
        ByteBuffer batch = TestBatches.batch(3, 1L, 10);
        Path path = file("c.log", List.of(batch), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40});
        try (FileChannel channel = FileChannel.open(path)) {
            SegmentScanner scanner = new SegmentScanner(channel, 0, channel.size(), false, 64);
            assertThat(scanner.next()).isTrue();
            assertThat(scanner.next()).isFalse();
            assertThat(scanner.position()).isEqualTo(batch.remaining());
            assertThat(scanner.invalidReason()).contains("fewer than a batch header");
        }
        assertThat(Files.size(path)).isEqualTo(batch.remaining() + 12L);
    }
}
