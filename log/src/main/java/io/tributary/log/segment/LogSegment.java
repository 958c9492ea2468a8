package io.tributary.log.segment;

import io.tributary.log.LogConfig;
import io.tributary.log.LogStorageException;
import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.OffsetPosition;
import io.tributary.log.index.TimeIndex;
import io.tributary.log.index.TimestampOffset;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One segment of a partition log: the {@code .log} file of batches exactly as received on the wire (or
 * as the log cleaner rewrote them), and its sparse {@code .index} and {@code .timeindex}, all named by the
 * segment's base offset (20 digits). While the cleaner writes and swaps in a segment, all three names carry
 * a {@link #CLEANED_SUFFIX} and then a {@link #SWAP_SUFFIX} ({@link #fileSuffix()}).
 *
 * <p>Invariants: batches are contiguous from byte 0, each starts at a batch boundary, and their offsets
 * increase — by one from batch to batch as appended, with gaps once compacted; {@link #size()} is the
 * published end — bytes past it may be half-written and no reader looks at them. Only the owning log's
 * single writer (or the cleaner, on a segment no one else sees yet) calls the mutating methods.
 *
 * <p>Design note: readers outlive deletion. A reader {@link #tryRetain() retains} the segment before it
 * hands out a slice of the file and releases it when done; retention unlinks the files at once but the
 * file channel stays open until the last reader lets go, so a slice taken before a delete still reads the
 * bytes it promised.
 */
public final class LogSegment {
    private static final Logger log = LoggerFactory.getLogger(LogSegment.class);

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Appended to all three file names while the log cleaner writes a segment; such files are deleted at start. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** Appended to a cleaned segment's files once complete: at start, a swap file replaces the segments it covers. */
    public static final String SWAP_SUFFIX = ".swap";
    /** Appended to a removed segment's files until file.delete.delay.ms has passed; such files are deleted at start. */
    public static final String DELETED_SUFFIX = ".deleted";
    private static final int SCAN_CHUNK_BYTES = 1 << 20;

    private final long baseOffset;
    private final Path dir;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final boolean indexFilesWereMissing;
    /** "" for a live segment; {@link #CLEANED_SUFFIX} or {@link #SWAP_SUFFIX} while the cleaner swaps it in. */
    private volatile String fileSuffix;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;
    private long rollClockStartMs = -1;
    /** {@code segment.jitter.ms}: drawn once per segment in [0, min(segment.jitter.ms, roll time)), taken off its roll time. */
    private final long rollJitterMs;

    /** One reference belongs to the log that owns the segment; each outstanding reader holds another. */
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean deleted;

    private LogSegment(Path dir, long baseOffset, LogConfig config, boolean create, String fileSuffix, int indexBytes)
        throws IOException {
        this.baseOffset = baseOffset;
        this.dir = dir;
        this.fileSuffix = fileSuffix;
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix);
        Path indexFile = dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + fileSuffix);
        Path timeIndexFile = dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + fileSuffix);
        if (create) {
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(indexFile);
            Files.deleteIfExists(timeIndexFile);
        }
        this.indexFilesWereMissing = !create && (!Files.exists(indexFile) || !Files.exists(timeIndexFile));
        if (indexFilesWereMissing) {
            // Both indices are rebuilt together, so a lone survivor is stale.
            Files.deleteIfExists(indexFile);
            Files.deleteIfExists(timeIndexFile);
        }
        boolean preallocate = create && fileSuffix.isEmpty() && config.preallocate;
        if (preallocate) {
            // preallocate: the file gets its full length now (zeros; sparse where the file system allows), its size
            // stays 0, and the zeros past it are trimmed at roll and close; recovery stops at the first zero header.
            try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "rw")) {
                file.setLength(config.segmentBytes);
            }
        }
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(indexFile, baseOffset, indexBytes);
        this.timeIndex = new TimeIndex(timeIndexFile, baseOffset, indexBytes);
        this.indexIntervalBytes = config.indexIntervalBytes;
        this.rollJitterMs = randomJitter(config);
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE) {
            throw new LogStorageException("Segment " + logFile + " is " + fileSize + " bytes, above the 2 GiB limit of int32 positions");
        }
        this.size = preallocate ? 0 : (int) fileSize;
        this.nextOffset = baseOffset;
    }

    /** A new empty segment starting at {@code baseOffset}; leftover files of that name are replaced. */
    public static LogSegment create(Path dir, long baseOffset, LogConfig config) {
        try {
            return new LogSegment(dir, baseOffset, config, true, "", config.segmentIndexBytes);
        } catch (IOException e) {
            throw new LogStorageException("Cannot create segment " + fileName(baseOffset, LOG_SUFFIX) + " in " + dir, e);
        }
    }

    /**
     * A new empty segment for the log cleaner's output: its files carry {@link #CLEANED_SUFFIX} until
     * {@link #changeFileSuffix renamed}, and its indices are preallocated to {@code indexBytes} each (the cleaner
     * sizes them for everything it may write; they are trimmed when it finishes).
     */
    public static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, int indexBytes) {
        try {
            return new LogSegment(dir, baseOffset, config, true, CLEANED_SUFFIX, indexBytes);
        } catch (IOException e) {
            throw new LogStorageException("Cannot create segment " + fileName(baseOffset, LOG_SUFFIX + CLEANED_SUFFIX)
                + " in " + dir, e);
        }
    }

    /**
     * Opens an existing segment without reading its batches. The caller then either {@link #recover()}s it
     * or, when it is known to be intact, {@link #loadIntactState()}.
     */
    public static LogSegment open(Path dir, long baseOffset, LogConfig config) {
        try {
            return new LogSegment(dir, baseOffset, config, false, "", config.segmentIndexBytes);
        } catch (IOException e) {
            throw new LogStorageException("Cannot open segment " + fileName(baseOffset, LOG_SUFFIX) + " in " + dir, e);
        }
    }

    public static String fileName(long offset, String suffix) {
        return String.format("%020d%s", offset, suffix);
    }

    /** The base offset a segment file name encodes, or -1 when the name is not one of ours. */
    public static long parseBaseOffset(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Published size in bytes. */
    public int size() {
        return size;
    }

    /** The offset after the last batch; the base offset when empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The largest timestamp of any batch, or -1 (no timestamp). */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    public Path logFile() {
        return dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix);
    }

    /** "" for a live segment, else the suffix its files carry while the cleaner swaps it in. */
    public String fileSuffix() {
        return fileSuffix;
    }

    /**
     * Renames the segment's three files to carry {@code newSuffix} instead of the current suffix: the indices
     * first, the log file last, so that the log file's name always tells how far the rename got — recovery looks
     * only at log files and rebuilds indices it cannot trust. Open channels and mappings stay valid. Nothing
     * happens to a deleted segment.
     *
     * @param afterEachRename told the new path after each file, so tests can take the disk image at every step
     */
    public synchronized void changeFileSuffix(String newSuffix, Consumer<Path> afterEachRename) {
        if (deleted) {
            return;
        }
        String old = fileSuffix;
        try {
            Path index = dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + newSuffix);
            offsetIndex.renameTo(index);
            afterEachRename.accept(index);
            Path timeIndexFile = dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + newSuffix);
            timeIndex.renameTo(timeIndexFile);
            afterEachRename.accept(timeIndexFile);
            Path target = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + newSuffix);
            Files.move(dir.resolve(fileName(baseOffset, LOG_SUFFIX) + old), target, StandardCopyOption.ATOMIC_MOVE);
            fileSuffix = newSuffix;
            afterEachRename.accept(target);
        } catch (IOException e) {
            throw new LogStorageException("Cannot rename the files of segment " + fileName(baseOffset, LOG_SUFFIX + old)
                + " in " + dir + " to suffix '" + newSuffix + "'", e);
        }
    }

    /** The max timestamp of the first batch, or -1 when the segment is empty or its first batch has none. */
    public long firstBatchTimestamp() {
        if (size == 0) {
            return RecordBatch.NO_TIMESTAMP;
        }
        try {
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            readFully(header, 0);
            return RecordBatch.at(header, 0).maxTimestamp();
        } catch (IOException e) {
            throw new LogStorageException("Cannot read the first batch of " + logFile(), e);
        }
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    public FileChannel channel() {
        return channel;
    }

    /**
     * True when the index files are absent, fail their sanity check, or point past the log file: they must
     * be rebuilt ({@link #recover()}) before use.
     */
    public boolean indexesNeedRebuild() {
        return indexFilesWereMissing || !offsetIndex.isSane() || !timeIndex.isSane()
            || (offsetIndex.entries() > 0 && offsetIndex.lastPosition() >= size);
    }

    // ---- loading

    /**
     * Trusts the files (a clean shutdown or a flushed segment): finds the next offset by scanning from the
     * last offset index entry, takes the max timestamp from the time index's last entry, and rebuilds the
     * indices instead if they look damaged.
     */
    public void loadIntactState() {
        if (indexesNeedRebuild()) {
            log.warn("Indices of {} are missing or inconsistent; rebuilding them from the log", logFile());
            recover();
            return;
        }
        try {
            OffsetPosition last = offsetIndex.lastEntry();
            SegmentScanner scanner = new SegmentScanner(channel, last.position(), size, false, 64 * 1024);
            long next = offsetIndex.entries() == 0 ? baseOffset : last.offset() + 1;
            long max = RecordBatch.NO_TIMESTAMP;
            int sinceIndex = 0;
            while (scanner.next()) {
                RecordBatch batch = scanner.header();
                next = batch.nextOffset();
                max = Math.max(max, batch.maxTimestamp());
                sinceIndex += scanner.batchSize();
            }
            if (scanner.invalidReason() != null) {
                log.warn("Segment {} has an invalid batch at byte {} ({}) although it was not expected to need recovery; recovering it",
                    logFile(), scanner.position(), scanner.invalidReason());
                recover();
                return;
            }
            TimestampOffset lastTime = timeIndex.lastEntry();
            nextOffset = next;
            maxTimestamp = Math.max(max, lastTime == null ? RecordBatch.NO_TIMESTAMP : lastTime.timestamp());
            bytesSinceLastIndexEntry = sinceIndex;
            initRollClock();
        } catch (IOException e) {
            throw new LogStorageException("Cannot read segment " + logFile(), e);
        }
    }

    /**
     * Scans every batch, checking framing, CRC and increasing offsets; truncates the file after the last
     * valid batch and rebuilds both indices on the way.
     *
     * @return the number of bytes truncated (0 when the segment was intact)
     */
    public long recover() {
        try {
            offsetIndex.reset();
            timeIndex.reset();
            long fileSize = channel.size();
            SegmentScanner scanner = new SegmentScanner(channel, 0, fileSize, true, SCAN_CHUNK_BYTES);
            long next = baseOffset;
            long max = RecordBatch.NO_TIMESTAMP;
            int sinceIndex = 0;
            String problem = null;
            while (scanner.next()) {
                RecordBatch batch = scanner.header();
                if (batch.baseOffset() < next) {
                    problem = "batch base offset " + batch.baseOffset() + " is below the expected " + next;
                    break;
                }
                if (batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                    problem = "last offset " + batch.lastOffset() + " does not fit relative to base offset " + baseOffset;
                    break;
                }
                max = Math.max(max, batch.maxTimestamp());
                if (sinceIndex > indexIntervalBytes) {
                    offsetIndex.append(batch.lastOffset(), (int) scanner.position());
                    timeIndex.maybeAppend(max, batch.lastOffset());
                    sinceIndex = 0;
                }
                sinceIndex += scanner.batchSize();
                next = batch.nextOffset();
            }
            long validBytes = scanner.position();
            if (problem == null) {
                problem = scanner.invalidReason();
            }
            long truncated = fileSize - validBytes;
            if (truncated > 0) {
                log.warn("Truncating {} from {} to {} bytes: {}", logFile(), fileSize, validBytes, problem);
                channel.truncate(validBytes);
            }
            size = (int) validBytes;
            nextOffset = next;
            maxTimestamp = max;
            bytesSinceLastIndexEntry = sinceIndex;
            initRollClock();
            return truncated;
        } catch (IOException e) {
            throw new LogStorageException("Cannot recover segment " + logFile(), e);
        }
    }

    /**
     * The segment.ms clock of a loaded segment starts at its first batch's timestamp, as in Kafka; without
     * one it starts at the next append.
     */
    private void initRollClock() throws IOException {
        rollClockStartMs = -1;
        if (size == 0) {
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        readFully(header, 0);
        long first = RecordBatch.at(header, 0).maxTimestamp();
        rollClockStartMs = first >= 0 ? first : -1;
    }

    // ---- writing

    /**
     * Appends validated, offset-stamped batches at the end of the file, indexes them every
     * {@code index.interval.bytes}, then publishes the new size.
     *
     * @param records batches from position to limit; the position is left unchanged
     * @param nowMs   wall clock, starts the segment.ms clock on a segment's first append
     */
    public void append(ByteBuffer records, long nowMs) {
        int writeAt = size;
        int length = records.remaining();
        ByteBuffer out = records.duplicate();
        try {
            long at = writeAt;
            while (out.hasRemaining()) {
                at += channel.write(out, at);
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot append " + length + " bytes to " + logFile() + " at position " + writeAt, e);
        }
        if (rollClockStartMs < 0) {
            rollClockStartMs = nowMs;
        }
        size = writeAt + length;

        RecordBatch batch = RecordBatch.at(records, records.position());
        int batchStart = records.position();
        int end = records.limit();
        long max = maxTimestamp;
        long next = nextOffset;
        while (batchStart < end) {
            batch.wrap(records, batchStart);
            int batchSize = batch.sizeInBytes();
            long batchMax = batch.maxTimestamp();
            if (batchMax > max) {
                max = batchMax;
            }
            if (bytesSinceLastIndexEntry > indexIntervalBytes) {
                int position = writeAt + (batchStart - records.position());
                offsetIndex.append(batch.lastOffset(), position);
                timeIndex.maybeAppend(max, batch.lastOffset());
                bytesSinceLastIndexEntry = 0;
            }
            bytesSinceLastIndexEntry += batchSize;
            next = batch.nextOffset();
            batchStart += batchSize;
        }
        maxTimestamp = max;
        nextOffset = next;
    }

    /** Kafka's {@code randomSegmentJitter}: uniform in [0, min(segment.jitter.ms, roll time)), 0 without jitter. */
    static long randomJitter(LogConfig config) {
        long bound = Math.min(config.segmentJitterMs, config.rollMs());
        return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound);
    }

    /** The random part of this segment's roll time ({@code segment.jitter.ms}). */
    public long rollJitterMs() {
        return rollJitterMs;
    }

    /** Would an append of {@code bytes} in {@code batches} batches ending at {@code lastOffset} need a new segment? */
    public boolean shouldRoll(LogConfig config, int bytes, int batches, long lastOffset, long nowMs) {
        if (size == 0) {
            return false;
        }
        return (long) size + bytes > config.segmentBytes
            || (rollClockStartMs >= 0 && nowMs - rollClockStartMs >= config.rollMs() - rollJitterMs)
            || offsetIndex.wouldOverflow(batches)
            || timeIndex.wouldOverflow(batches + 1)
            || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /** The segment stops growing: records its largest timestamp in the time index and trims both indices. */
    public void onBecomeInactive() {
        writeFinalTimeIndexEntry();
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        trimPreallocated();
    }

    /** Cuts a preallocated log file ({@code preallocate}) back to its batches; nothing when it holds no more than them. */
    private void trimPreallocated() {
        try {
            if (channel.isOpen() && channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot trim the preallocated " + logFile() + " to " + size + " bytes", e);
        }
    }

    /** Preallocates the indices again, for the segment that receives appends after a restart. */
    public void onBecomeActive(LogConfig config) {
        offsetIndex.resize(config.segmentIndexBytes);
        timeIndex.resize(config.segmentIndexBytes);
    }

    private void writeFinalTimeIndexEntry() {
        if (nextOffset > baseOffset && maxTimestamp != RecordBatch.NO_TIMESTAMP && !timeIndex.isFull()) {
            timeIndex.maybeAppend(maxTimestamp, nextOffset - 1);
        }
    }

    /**
     * Removes every batch whose last offset is at or above {@code offset} (a batch containing it goes
     * whole) and rebuilds the indices.
     *
     * @return bytes removed
     */
    public long truncateTo(long offset) {
        BatchPosition first = findBatch(offset, size);
        if (first == null) {
            return 0;
        }
        try {
            long before = size;
            channel.truncate(first.position());
            size = first.position();
            recover();
            return before - size;
        } catch (IOException e) {
            throw new LogStorageException("Cannot truncate " + logFile() + " at offset " + offset, e);
        }
    }

    public void flush() {
        try {
            channel.force(false);
            offsetIndex.flush();
            timeIndex.flush();
        } catch (IOException e) {
            throw new LogStorageException("Cannot flush " + logFile(), e);
        }
    }

    // ---- reading (any thread; bounded by the published size)

    /** Where a batch starts, how long it is, and its offsets. */
    public record BatchPosition(int position, int size, long baseOffset, long lastOffset) {
    }

    /**
     * The first batch whose last offset is at or above {@code offset}, within the first {@code limit} bytes:
     * the batch containing {@code offset}, or the next one when offsets have a gap. Null when none.
     */
    public BatchPosition findBatch(long offset, int limit) {
        int end = Math.min(limit, size);
        OffsetPosition hint = offsetIndex.lookup(offset);
        int position = hint.position() < end ? hint.position() : 0;
        HeaderWindow headers = HeaderWindow.forThisThread();
        try {
            while (position + RecordBatch.HEADER_SIZE <= end) {
                RecordBatch batch = headers.at(this, position, end);
                int batchSize = batch.sizeInBytes();
                if (batchSize < RecordBatch.HEADER_SIZE || (long) position + batchSize > end) {
                    throw new LogStorageException("Segment " + logFile() + " has a batch of " + batchSize
                        + " bytes at position " + position + " that does not fit its " + end + " published bytes");
                }
                if (batch.lastOffset() >= offset) {
                    return new BatchPosition(position, batchSize, batch.baseOffset(), batch.lastOffset());
                }
                position += batchSize;
            }
            return null;
        } catch (IOException e) {
            throw new LogStorageException("Cannot read " + logFile() + " at position " + position, e);
        }
    }

    /** Where a read's slice ends (exclusive) and the offset a reader continues from after it. */
    public record SliceEnd(int position, long nextOffset) {
    }

    /**
     * The end of a read starting at batch {@code first}: whole batches from it on, at most {@code maxBytes}
     * in total, except that {@code minOneBatch} takes the first batch even when it alone is larger. The end
     * equals {@code first.position()} when nothing fits.
     *
     * <p>Instead of walking every header, it jumps to the last indexed batch start within the limit and walks
     * from there, so a read costs O(index.interval.bytes) of header reads whatever {@code maxBytes} is.
     *
     * <p>Batches at or past {@code endOffset} (the log end offset the reader saw) are left out even when the
     * segment already holds them: the segment's size is published before the log end offset, so without this
     * bound a reader could hand out records beyond the end it checked the fetch offset against, and the
     * consumer's next fetch, from after them, could find itself "out of range" before the end moves on.
     * {@code first} itself lies below {@code endOffset}.
     */
    public SliceEnd sliceEnd(BatchPosition first, int maxBytes, boolean minOneBatch, long endOffset) {
        int end = size;
        long limit = Math.min((long) first.position() + maxBytes, end);
        int firstEnd = first.position() + first.size();
        if (firstEnd > limit) {
            return minOneBatch ? new SliceEnd(firstEnd, first.lastOffset() + 1) : new SliceEnd(first.position(), first.baseOffset());
        }
        OffsetPosition hint = offsetIndex.lookupByPosition(limit);
        // An index entry names the last offset of the batch at its position: past the end, that batch is too.
        int position = hint.offset() < endOffset ? Math.max(firstEnd, hint.position()) : firstEnd;
        // Until a batch is walked, the reader continues after the first batch, or at the batch we jumped to.
        long nextOffset = position == firstEnd ? first.lastOffset() + 1 : -1;
        HeaderWindow headers = HeaderWindow.forThisThread();
        try {
            while (position < end) {
                RecordBatch batch = headers.at(this, position, end);
                int batchSize = batch.sizeInBytes();
                if (batch.baseOffset() >= endOffset || (long) position + batchSize > limit) {
                    if (nextOffset < 0) {
                        nextOffset = batch.baseOffset();
                    }
                    break;
                }
                position += batchSize;
                nextOffset = batch.lastOffset() + 1;
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot read " + logFile() + " at position " + position, e);
        }
        return new SliceEnd(position, nextOffset);
    }

    /**
     * The first record in this segment whose timestamp is at least {@code target}: the time index says where
     * to start, batch headers say which batch can hold it, and only that batch's records are read.
     * Null when no record here reaches {@code target}.
     */
    public TimestampOffset findOffsetByTimestamp(long target) {
        TimestampOffset before = timeIndex.lastEntryBefore(target);
        int end = size;
        int start = before == null ? 0 : offsetIndex.lookup(before.offset()).position();
        if (start >= end) {
            start = 0;
        }
        try {
            SegmentScanner scanner = new SegmentScanner(channel, start, end, false, 64 * 1024);
            while (scanner.next()) {
                RecordBatch header = scanner.header();
                if (header.maxTimestamp() < target) {
                    continue;
                }
                if (header.timestampType() == TimestampType.LOG_APPEND_TIME) {
                    return new TimestampOffset(header.maxTimestamp(), header.baseOffset());
                }
                ByteBuffer batch = ByteBuffer.allocate(scanner.batchSize());
                readFully(batch, scanner.position());
                batch.flip();
                TimestampOffset found = RecordTimestampSearch.firstAtOrAfter(RecordBatch.at(batch, 0), target);
                if (found != null) {
                    return found;
                }
            }
            return null;
        } catch (IOException e) {
            throw new LogStorageException("Cannot read " + logFile(), e);
        }
    }

    /**
     * The batch headers a read walks (findBatch from the offset index's hint, sliceEnd from the position index's), read a
     * window of up to {@link #BYTES} at a time instead of one pread of 27 bytes per header. A walk spans at most about
     * {@code index.interval.bytes} (4 KiB by default) plus a batch, so small batches (one record each: about 24 headers
     * per 4 KiB) cost two or three preads instead of one per header. Large batches would only pay for copying a window
     * that holds one header (measured: random reads of 16 KiB batches 40% slower), so a window is read only once the
     * walk has shown a small stride (the batch just passed, at most a quarter window); the first header of a walk, and
     * any after a large batch, are read alone, 27 bytes, as before. Reads run on Netty event loops (the fetch path), hence the per-thread direct
     * buffer (no garbage, no JDK temporary copy). A window never extends past the {@code end} the caller saw, so bytes
     * an append has not published yet are never read. One walk at a time per thread: each walk starts with
     * {@link #forThisThread}, which forgets the previous window.
     */
    private static final class HeaderWindow {
        static final int BYTES = 4096;
        private static final int NEEDED = RecordBatch.LAST_OFFSET_DELTA_OFFSET + 4;
        private static final ThreadLocal<HeaderWindow> PER_THREAD = ThreadLocal.withInitial(HeaderWindow::new);

        private final ByteBuffer window = ByteBuffer.allocateDirect(BYTES);
        private final RecordBatch view = RecordBatch.at(window, 0);
        private long windowStart;
        private int windowBytes;
        private int previousPosition;

        static HeaderWindow forThisThread() {
            HeaderWindow headers = PER_THREAD.get();
            headers.windowBytes = 0;
            headers.previousPosition = -1;
            return headers;
        }

        /** The header of the batch at {@code position}, reading {@code segment} below {@code end} if the window lacks it. */
        RecordBatch at(LogSegment segment, int position, int end) throws IOException {
            if (position < windowStart || (long) position + NEEDED > windowStart + windowBytes) {
                boolean smallStride = previousPosition >= 0 && position - previousPosition <= BYTES / 4;
                window.clear().limit(smallStride ? Math.max(NEEDED, Math.min(BYTES, end - position)) : NEEDED);
                windowBytes = 0;
                segment.readFully(window, position);
                windowStart = position;
                windowBytes = window.limit();
            }
            previousPosition = position;
            return view.wrap(window, (int) (position - windowStart));
        }
    }

    private void readFully(ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("Unexpected end of " + logFile() + " at position " + at);
            }
            at += n;
        }
    }

    // ---- lifetime

    /** Takes a reader's reference; false when the segment was deleted and its last reader has gone. */
    public boolean tryRetain() {
        while (true) {
            int current = references.get();
            if (current <= 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the file channel. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Cannot close {}", logFile(), e);
            }
        } else if (left < 0) {
            throw new IllegalStateException("Segment " + logFile() + " released more often than retained");
        }
    }

    public boolean isDeleted() {
        return deleted;
    }

    /** Records the largest timestamp, trims and closes the indices, and drops the owner's reference. */
    public void close() {
        trimPreallocated();
        writeFinalTimeIndexEntry();
        offsetIndex.close();
        timeIndex.close();
        release();
    }

    /**
     * Unlinks the segment's files and drops the owner's reference. Readers holding a slice keep reading it;
     * the channel closes when they release.
     */
    public synchronized void delete() {
        deleted = true;
        try {
            offsetIndex.delete();
            timeIndex.delete();
            Files.deleteIfExists(logFile());
        } catch (IOException e) {
            throw new LogStorageException("Cannot delete segment " + logFile(), e);
        } finally {
            release();
        }
    }

    /** Milliseconds-since-epoch against which retention.ms is measured: the newest record, else the file's mtime. */
    public long retentionTimestamp() {
        if (maxTimestamp > 0) {
            return maxTimestamp;
        }
        try {
            return Files.getLastModifiedTime(logFile()).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown age: never expired by time
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile() + ", size=" + size + ", nextOffset=" + nextOffset + ")";
    }
}
