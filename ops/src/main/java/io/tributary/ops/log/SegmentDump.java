package io.tributary.ops.log;

import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.TimeIndex;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.TimestampType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one segment file holds and whether it is sound: its batches (framing as the log's {@link SegmentScanner}
 * checks it, then the CRC32C of each batch as the protocol's {@link RecordBatch} computes it, offsets increasing
 * and at or above the segment's base offset), optionally their records, and the sanity of the segment's
 * {@code .index} and {@code .timeindex} files beside it.
 *
 * <p>Index rules checked (docs/ARCHITECTURE.md, "On disk"): offset index entries are 8 bytes, {@code int32
 * offset - baseOffset, int32 position}, strictly increasing in both, each naming a batch that starts at that
 * position and ends at that offset; time index entries are 12 bytes, {@code int64 timestamp, int32 offset -
 * baseOffset}, strictly increasing in both, with no batch at or before the offset holding a newer timestamp.
 * A zero-filled tail is the preallocated space of an active segment (or of one not closed cleanly), not entries.
 *
 * <p>Design note: nothing here opens files for writing. The log module's {@code OffsetIndex} and {@code TimeIndex}
 * map their files read-write and trim them when closed, which a tool inspecting a live or damaged log must not
 * do, so the index files are read here through read-only channels; their layout is small and documented.
 * A framing error ends the walk (the next batch's start is unknown); a CRC mismatch does not (the length is
 * intact), so one flipped byte is reported and the batches after it are still listed.
 */
public final class SegmentDump {
    /** Batches larger than this are not loaded for CRC verification or record decoding. */
    static final int MAX_VERIFIED_BATCH = 64 * 1024 * 1024;
    private static final int SCAN_CHUNK = 1024 * 1024;

    /** One batch as found in the file. */
    public record Batch(long position, long baseOffset, long lastOffset, int recordCount, int size, String codec,
                        String timestampType, long baseTimestamp, long maxTimestamp, long producerId, short producerEpoch,
                        int baseSequence, boolean transactional, boolean control, long storedCrc, Boolean crcValid,
                        List<DumpedRecord> records) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("position", position);
            json.put("baseOffset", baseOffset);
            json.put("lastOffset", lastOffset);
            json.put("records", recordCount);
            json.put("size", size);
            json.put("codec", codec);
            json.put("timestampType", timestampType);
            json.put("baseTimestamp", baseTimestamp);
            json.put("maxTimestamp", maxTimestamp);
            json.put("producerId", producerId);
            json.put("producerEpoch", producerEpoch);
            json.put("baseSequence", baseSequence);
            json.put("transactional", transactional);
            json.put("control", control);
            json.put("crc", storedCrc);
            json.put("crcValid", crcValid);
            if (records != null) {
                json.put("recordList", records.stream().map(DumpedRecord::toJson).toList());
            }
            return json;
        }
    }

    /** One record, key, value and header values as UTF-8 text (null when absent). */
    public record DumpedRecord(long offset, long timestamp, String key, String value, Map<String, String> headers) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("offset", offset);
            json.put("timestamp", timestamp);
            json.put("key", key);
            json.put("value", value);
            json.put("headers", headers);
            return json;
        }
    }

    /** An index file's state: entries in use, whether a zero-filled preallocated tail follows them. */
    public record IndexSummary(Path file, int entries, boolean preallocatedTail) {
    }

    private final Path file;
    private final long baseOffset;
    private final long fileSize;
    private final List<Batch> batches = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private IndexSummary offsetIndex;
    private IndexSummary timeIndex;

    private SegmentDump(Path file, long baseOffset, long fileSize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.fileSize = fileSize;
    }

    /**
     * Reads {@code logFile} (named {@code <20-digit base offset>.log}) and the indices beside it.
     *
     * @throws IllegalArgumentException when the name is not a segment file name
     * @throws IOException              when the file cannot be read
     */
    public static SegmentDump of(Path logFile, boolean withRecords) throws IOException {
        long base = LogSegment.parseBaseOffset(logFile.getFileName().toString(), LogSegment.LOG_SUFFIX);
        if (base < 0) {
            throw new IllegalArgumentException(logFile + " is not a segment file: expected a name like 00000000000000000000.log");
        }
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            SegmentDump dump = new SegmentDump(logFile, base, channel.size());
            dump.readBatches(channel, withRecords);
            Path dir = logFile.toAbsolutePath().getParent();
            dump.offsetIndex = dump.checkOffsetIndex(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
            dump.timeIndex = dump.checkTimeIndex(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
            return dump;
        }
    }

    private void readBatches(FileChannel channel, boolean withRecords) throws IOException {
        // Framing only: CRCs are checked batch by batch below, so a corrupt batch does not end the walk.
        SegmentScanner scanner = new SegmentScanner(channel, 0, fileSize, false, SCAN_CHUNK);
        long previousLast = -1;
        while (scanner.next()) {
            Batch batch = readBatch(channel, scanner.position(), scanner.header(), withRecords);
            batches.add(batch);
            if (batch.baseOffset() < baseOffset) {
                problems.add("batch at position " + batch.position() + " has base offset " + batch.baseOffset()
                    + ", below the segment's base offset " + baseOffset);
            }
            if (batch.baseOffset() <= previousLast) {
                problems.add("batch at position " + batch.position() + " has base offset " + batch.baseOffset()
                    + ", not after the previous batch's last offset " + previousLast);
            }
            previousLast = Math.max(previousLast, batch.lastOffset());
            if (Boolean.FALSE.equals(batch.crcValid())) {
                problems.add("CRC failure: batch at position " + batch.position() + " (offsets " + batch.baseOffset() + "-"
                    + batch.lastOffset() + ") stores CRC32C " + batch.storedCrc() + " but its bytes compute "
                    + computedCrc(channel, batch) + "; the batch is corrupt");
            }
        }
        if (scanner.invalidReason() != null) {
            problems.add("framing error at position " + scanner.position() + ": " + scanner.invalidReason()
                + "; the remaining " + (fileSize - scanner.position()) + " bytes cannot be read as batches");
        }
    }

    private Batch readBatch(FileChannel channel, long position, RecordBatch header, boolean withRecords) throws IOException {
        Boolean crcValid = null;
        List<DumpedRecord> records = null;
        int size = header.sizeInBytes();
        if (size <= MAX_VERIFIED_BATCH) {
            ByteBuffer bytes = readFully(channel, position, size);
            RecordBatch batch = RecordBatch.at(bytes, 0);
            crcValid = batch.isChecksumValid();
            if (withRecords) {
                records = crcValid ? decode(batch, position) : List.of();
            }
        } else {
            problems.add("batch at position " + position + " is " + size + " bytes, above the " + MAX_VERIFIED_BATCH
                + " bytes this tool verifies; its CRC was not checked");
        }
        String codec;
        try {
            codec = header.compressionType().configName;
        } catch (RuntimeException e) {
            codec = "unknown(" + (header.attributes() & CompressionType.ATTRIBUTE_MASK) + ")";
            problems.add("batch at position " + position + " names an unknown codec: attributes " + header.attributes());
        }
        return new Batch(position, header.baseOffset(), header.lastOffset(), header.recordCount(), size, codec,
            header.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime",
            header.baseTimestamp(), header.maxTimestamp(), header.producerId(), header.producerEpoch(), header.baseSequence(),
            header.isTransactional(), header.isControlBatch(), header.checksum(), crcValid, records);
    }

    private List<DumpedRecord> decode(RecordBatch batch, long position) {
        List<DumpedRecord> records = new ArrayList<>();
        try {
            for (Record record : RecordBatchReader.DEFAULT.read(batch)) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header h : record.headers()) {
                    headers.put(h.key(), text(h.value()));
                }
                records.add(new DumpedRecord(record.offset(), record.timestamp(), record.hasKey() ? text(record.key()) : null,
                    record.hasValue() ? text(record.value()) : null, headers));
            }
        } catch (RuntimeException e) {
            problems.add("records of the batch at position " + position + " cannot be decoded: " + e.getMessage());
        }
        return records;
    }

    private static String text(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    private static long computedCrc(FileChannel channel, Batch batch) throws IOException {
        return RecordBatch.at(readFully(channel, batch.position(), batch.size()), 0).computeChecksum();
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("Unexpected end of file at " + at);
            }
            at += n;
        }
        return buffer.flip();
    }

    // ---- indices

    private IndexSummary checkOffsetIndex(Path index) throws IOException {
        if (!Files.exists(index)) {
            return null;
        }
        ByteBuffer bytes = readIndex(index, OffsetIndex.ENTRY_SIZE);
        int slots = bytes.limit() / OffsetIndex.ENTRY_SIZE;
        int used = usedSlots(bytes, slots, OffsetIndex.ENTRY_SIZE);
        if (used == 0 && slots == 1) {
            // A trimmed file of one all-zero entry holds (0, 0) for real. In a preallocated file such an entry
            // cannot be told from free space; it would be consistent either way, so it is taken as free space.
            used = 1;
        }
        Map<Long, Batch> byPosition = new HashMap<>();
        batches.forEach(b -> byPosition.put(b.position(), b));
        long previousOffset = -1;
        long previousPosition = -1;
        for (int i = 0; i < used; i++) {
            long offset = baseOffset + bytes.getInt(i * OffsetIndex.ENTRY_SIZE);
            long position = Integer.toUnsignedLong(bytes.getInt(i * OffsetIndex.ENTRY_SIZE + 4));
            String entry = "offset index entry " + i + " (offset " + offset + ", position " + position + ")";
            if (offset <= previousOffset || position <= previousPosition) {
                problems.add(entry + " does not follow entry " + (i - 1) + " (offset " + previousOffset + ", position "
                    + previousPosition + "): entries must increase in both");
            } else if (position >= fileSize) {
                problems.add(entry + " points past the end of the log file (" + fileSize + " bytes)");
            } else {
                Batch batch = byPosition.get(position);
                if (batch == null) {
                    problems.add(entry + " does not point at the start of a batch");
                } else if (batch.lastOffset() != offset) {
                    problems.add(entry + " names a batch that ends at offset " + batch.lastOffset());
                }
            }
            previousOffset = offset;
            previousPosition = position;
        }
        return new IndexSummary(index, used, used < slots);
    }

    private IndexSummary checkTimeIndex(Path index) throws IOException {
        if (!Files.exists(index)) {
            return null;
        }
        ByteBuffer bytes = readIndex(index, TimeIndex.ENTRY_SIZE);
        int slots = bytes.limit() / TimeIndex.ENTRY_SIZE;
        int used = usedSlots(bytes, slots, TimeIndex.ENTRY_SIZE);
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = -1;
        long lastOffset = batches.isEmpty() ? baseOffset - 1 : batches.get(batches.size() - 1).lastOffset();
        for (int i = 0; i < used; i++) {
            long timestamp = bytes.getLong(i * TimeIndex.ENTRY_SIZE);
            long offset = baseOffset + bytes.getInt(i * TimeIndex.ENTRY_SIZE + 8);
            String entry = "time index entry " + i + " (timestamp " + timestamp + ", offset " + offset + ")";
            if (timestamp <= previousTimestamp || offset <= previousOffset) {
                problems.add(entry + " does not follow entry " + (i - 1) + " (timestamp " + previousTimestamp + ", offset "
                    + previousOffset + "): entries must increase in both");
            } else if (offset > lastOffset) {
                problems.add(entry + " names an offset after the segment's last offset " + lastOffset);
            } else {
                for (Batch batch : batches) {
                    if (batch.lastOffset() <= offset && batch.maxTimestamp() > timestamp) {
                        problems.add(entry + " is older than the batch at position " + batch.position() + " (offsets "
                            + batch.baseOffset() + "-" + batch.lastOffset() + ", max timestamp " + batch.maxTimestamp() + ")");
                        break;
                    }
                }
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return new IndexSummary(index, used, used < slots);
    }

    private ByteBuffer readIndex(Path index, int entrySize) throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(index + " is " + size + " bytes, larger than any index can be");
            }
            if (size % entrySize != 0) {
                problems.add(index.getFileName() + " is " + size + " bytes, not a whole number of " + entrySize + "-byte entries");
            }
            ByteBuffer bytes = readFully(channel, 0, (int) size);
            bytes.limit((int) (size / entrySize * entrySize));
            return bytes;
        }
    }

    /** Slots before the zero-filled tail: one past the last slot holding any non-zero byte. */
    private static int usedSlots(ByteBuffer bytes, int slots, int entrySize) {
        for (int slot = slots - 1; slot >= 0; slot--) {
            for (int b = 0; b < entrySize; b++) {
                if (bytes.get(slot * entrySize + b) != 0) {
                    return slot + 1;
                }
            }
        }
        return 0;
    }

    // ---- results

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public long fileSize() {
        return fileSize;
    }

    public List<Batch> batches() {
        return batches;
    }

    /** Everything found wrong, one sentence each; empty when the segment is sound. */
    public List<String> problems() {
        return problems;
    }

    /** The offset index beside the segment; null when there is none. */
    public IndexSummary offsetIndex() {
        return offsetIndex;
    }

    /** The time index beside the segment; null when there is none. */
    public IndexSummary timeIndex() {
        return timeIndex;
    }

    public long recordCount() {
        return batches.stream().mapToLong(Batch::recordCount).sum();
    }

    /** The offset after the last batch, or the base offset when the segment is empty. */
    public long nextOffset() {
        return batches.isEmpty() ? baseOffset : batches.get(batches.size() - 1).lastOffset() + 1;
    }
}
