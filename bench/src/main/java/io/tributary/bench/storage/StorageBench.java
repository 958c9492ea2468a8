package io.tributary.bench.storage;

import io.tributary.log.LogConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Storage-engine figures, each as a ratio to the raw file operation on the same disk in the same run:
 * append throughput against {@code FileChannel.write}, sequential reads through slices against raw
 * {@code transferTo}, and recovery time after an unclean stop for two log sizes with the same unflushed tail.
 *
 * <p>Design note: both sides of every ratio use the same direct buffer, the same chunk size and the same
 * directory, and alternate which runs first in each round, so page-cache state and write-back favour
 * neither; the best round of each side is reported.
 */
@Command(name = "storage", mixinStandardHelpOptions = true,
    description = "Append, read and recovery of a partition log against raw file I/O.")
public final class StorageBench implements Callable<Integer> {
    private static final long MIB = 1024 * 1024;
    private static final TopicPartition TP = new TopicPartition("bench", 0);

    @Option(names = "--dir", description = "Directory on the disk to measure (default: bench/target/storage-bench).")
    Path dir = Path.of("bench", "target", "storage-bench");

    @Option(names = "--only", split = ",", description = "Subset of: append, read, recovery (default: all).")
    Set<String> only = Set.of("append", "read", "recovery");

    @Option(names = "--append-mib", description = "MiB appended per round (default: ${DEFAULT-VALUE}).")
    int appendMib = 1024;

    @Option(names = "--read-mib", description = "Size of the log read sequentially, MiB (default: ${DEFAULT-VALUE}).")
    int readMib = 1024;

    @Option(names = "--recovery-mib", split = ",", description = "Log sizes for recovery, MiB (default: 256,1024).")
    int[] recoveryMib = {256, 1024};

    @Option(names = "--unflushed-mib", description = "Data after the recovery point, MiB (default: ${DEFAULT-VALUE}).")
    int unflushedMib = 64;

    @Option(names = "--rounds", description = "Rounds per measurement; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--records-per-batch", description = "Records per batch (default: ${DEFAULT-VALUE}).")
    int recordsPerBatch = 16;

    @Option(names = "--record-bytes", description = "Value size of each record (default: ${DEFAULT-VALUE}).")
    int recordBytes = 1024;

    @Option(names = "--fetch-bytes", description = "Bytes per read slice / transferTo call (default: 1 MiB).")
    int fetchBytes = (int) MIB;

    @Override
    public Integer call() throws Exception {
        for (String part : only) {
            if (!Set.of("append", "read", "recovery").contains(part)) {
                throw new IllegalArgumentException("--only takes append, read, recovery; got '" + part + "'");
            }
        }
        Files.createDirectories(dir);
        ByteBuffer batch = batch();
        System.out.printf("storage bench in %s: batches of %d x %d-byte records = %d bytes, %s%n",
            dir.toAbsolutePath(), recordsPerBatch, recordBytes, batch.remaining(), System.getProperty("java.vm.name") + " " + Runtime.version());
        if (only.contains("append")) {
            appendBench(batch);
        }
        if (only.contains("read")) {
            readBench(batch);
        }
        if (only.contains("recovery")) {
            recoveryBench(batch);
        }
        return 0;
    }

    /** One uncompressed batch in a direct buffer, as the broker's network layer would hand it over. */
    private ByteBuffer batch() {
        Random random = new Random(42);
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        long now = System.currentTimeMillis();
        for (int i = 0; i < recordsPerBatch; i++) {
            byte[] value = new byte[recordBytes];
            random.nextBytes(value);
            builder.append(now, null, ByteBuffer.wrap(value));
        }
        ByteBuffer heap = builder.build();
        return ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
    }

    // ---- append

    private void appendBench(ByteBuffer batch) throws Exception {
        long count = appendMib * MIB / batch.remaining();
        long bytes = count * batch.remaining();
        double bestRaw = 0;
        double bestLog = 0;
        List<String> perRound = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double raw;
            double log;
            if (round % 2 == 0) {
                raw = rawAppend(batch, count);
                log = logAppend(batch, count);
            } else {
                log = logAppend(batch, count);
                raw = rawAppend(batch, count);
            }
            bestRaw = Math.max(bestRaw, raw);
            bestLog = Math.max(bestLog, log);
            perRound.add(String.format("%.2f", log / raw));
        }
        System.out.printf("%nappend: %d MiB in %d batches to one partition (page cache; fsync excluded on both sides)%n", bytes / MIB, count);
        System.out.printf("  raw FileChannel.write    %8.1f MB/s%n", bestRaw);
        System.out.printf("  PartitionLog.append      %8.1f MB/s%n", bestLog);
        System.out.printf("  ratio (best/best)        %8.2f   per round: %s   target >= 0.9%n", bestLog / bestRaw, perRound);
    }

    private double rawAppend(ByteBuffer batch, long count) throws IOException {
        Path file = dir.resolve("raw-append.bin");
        Files.deleteIfExists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                batch.clear();
                while (batch.hasRemaining()) {
                    channel.write(batch);
                }
            }
            long elapsed = System.nanoTime() - start;
            channel.force(true); // untimed: leaves no dirty pages to be written back during the next run
            return mbPerSecond(count * batch.capacity(), elapsed);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private double logAppend(ByteBuffer batch, long count) throws Exception {
        Path logDir = dir.resolve("log-append");
        deleteRecursively(logDir);
        ExecutorService background = Executors.newSingleThreadExecutor();
        PartitionLog log = PartitionLog.open(logDir, TP, LogConfig.defaults(), 0, true, Clock.systemUTC(), background);
        try {
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                batch.clear();
                log.append(batch, LeaderEpochs.SINGLE_BROKER);
            }
            long elapsed = System.nanoTime() - start;
            return mbPerSecond(count * batch.capacity(), elapsed);
        } finally {
            log.close(); // untimed fsync, as on the raw side
            background.shutdown();
            deleteRecursively(logDir);
        }
    }

    // ---- sequential read

    private void readBench(ByteBuffer batch) throws Exception {
        Path logDir = dir.resolve("log-read");
        deleteRecursively(logDir);
        long count = readMib * MIB / batch.remaining();
        PartitionLog log = PartitionLog.open(logDir, TP, LogConfig.defaults().withOverrides(
            Map.of("segment.bytes", Long.toString(Math.max(readMib * MIB + MIB, 64 * MIB)))), 0, true, Clock.systemUTC(), Runnable::run);
        try {
            for (long i = 0; i < count; i++) {
                batch.clear();
                log.append(batch, LeaderEpochs.SINGLE_BROKER);
            }
            log.flush();
            Path segmentFile = log.segments().get(0).logFile();
            long fileSize = Files.size(segmentFile);
            double bestRaw = 0;
            double bestLog = 0;
            List<String> perRound = new ArrayList<>();
            rawCpuNanos = 0;
            sliceCpuNanos = 0;
            try (Sink sink = new Sink(); FileChannel raw = FileChannel.open(segmentFile, StandardOpenOption.READ)) {
                for (int round = 0; round < rounds; round++) {
                    double r;
                    double l;
                    if (round % 2 == 0) {
                        r = rawTransfer(raw, fileSize, sink);
                        l = sliceTransfer(log, sink);
                    } else {
                        l = sliceTransfer(log, sink);
                        r = rawTransfer(raw, fileSize, sink);
                    }
                    bestRaw = Math.max(bestRaw, r);
                    bestLog = Math.max(bestLog, l);
                    perRound.add(String.format("%.2f", l / r));
                }
            }
            System.out.printf("%nsequential read: %d MiB log, %d KiB per transfer, to a loopback socket%n", fileSize / MIB, fetchBytes / 1024);
            System.out.printf("  raw transferTo           %8.1f MB/s%n", bestRaw);
            System.out.printf("  PartitionLog.read slices %8.1f MB/s%n", bestLog);
            System.out.printf("  ratio (best/best)        %8.2f   per round: %s   target >= 0.9%n", bestLog / bestRaw, perRound);
            System.out.printf("  sender CPU per byte, raw/slices: %.2f  (%.0f vs %.0f ns per MB, all rounds)%n",
                (double) rawCpuNanos / sliceCpuNanos, rawCpuNanos / (rounds * fileSize / 1e6), sliceCpuNanos / (rounds * fileSize / 1e6));
        } finally {
            log.close();
            deleteRecursively(logDir);
        }
    }

    private long rawCpuNanos;
    private long sliceCpuNanos;

    private static long threadCpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private double rawTransfer(FileChannel file, long size, Sink sink) throws Exception {
        long cpu = threadCpu();
        long start = System.nanoTime();
        long position = 0;
        while (position < size) {
            long chunk = Math.min(fetchBytes, size - position);
            long sent = 0;
            while (sent < chunk) {
                sent += file.transferTo(position + sent, chunk - sent, sink.out);
            }
            position += chunk;
        }
        rawCpuNanos += threadCpu() - cpu;
        sink.awaitTotal(size);
        return mbPerSecond(size, System.nanoTime() - start);
    }

    private double sliceTransfer(PartitionLog log, Sink sink) throws Exception {
        long cpu = threadCpu();
        long start = System.nanoTime();
        long offset = log.logStartOffset();
        long sent = 0;
        while (offset < log.logEndOffset()) {
            try (LogSlice slice = log.read(offset, fetchBytes, true)) {
                sent += slice.transferTo(sink.out);
                offset = slice.nextOffset();
            }
        }
        sliceCpuNanos += threadCpu() - cpu;
        sink.awaitTotal(sent);
        return mbPerSecond(sent, System.nanoTime() - start);
    }

    /** A loopback connection whose far end drains and counts everything sent. */
    private static final class Sink implements AutoCloseable {
        final ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final SocketChannel out;
        final ExecutorService drainer = Executors.newSingleThreadExecutor();
        final Future<?> draining;
        volatile long received;
        long expected;

        Sink() throws IOException {
            out = SocketChannel.open(server.getLocalAddress());
            SocketChannel in = server.accept();
            draining = drainer.submit(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                try (in) {
                    while (true) {
                        buffer.clear();
                        int n = in.read(buffer);
                        if (n < 0) {
                            return null;
                        }
                        received += n;
                    }
                }
            });
        }

        void awaitTotal(long more) throws InterruptedException {
            expected += more;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (received < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sink received " + received + " of " + expected + " bytes in 120 s");
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws Exception {
            out.close();
            draining.get();
            drainer.shutdown();
            server.close();
        }
    }

    // ---- recovery

    private void recoveryBench(ByteBuffer batch) throws Exception {
        System.out.printf("%nrecovery after an unclean stop (no clean-shutdown marker), %d MiB after the recovery point, 128 MiB segments%n", unflushedMib);
        System.out.printf("  %10s %22s %22s%n", "log size", "from recovery point", "full scan (no checkpoint)");
        for (int sizeMib : recoveryMib) {
            if (sizeMib <= unflushedMib) {
                throw new IllegalArgumentException("--recovery-mib " + sizeMib + " must be larger than --unflushed-mib " + unflushedMib);
            }
            Path logDir = dir.resolve("log-recovery-" + sizeMib);
            deleteRecursively(logDir);
            LogConfig config = LogConfig.defaults().withOverrides(Map.of("segment.bytes", Long.toString(128 * MIB)));
            PartitionLog log = PartitionLog.open(logDir, TP, config, 0, true, Clock.systemUTC(), Runnable::run);
            appendMib(log, batch, sizeMib - unflushedMib);
            log.roll(); // fsyncs everything so far: the recovery point is the log end
            appendMib(log, batch, unflushedMib);
            long recoveryPoint = log.recoveryPoint();
            // Unclean stop: the instance is abandoned, never closed; indices stay untrimmed, no marker is written.

            long start = System.nanoTime();
            PartitionLog recovered = PartitionLog.open(logDir, TP, config, recoveryPoint, false, Clock.systemUTC(), Runnable::run);
            double fromCheckpointMs = (System.nanoTime() - start) / 1e6;
            check(recovered.logEndOffset() == log.logEndOffset(), "recovery lost data");

            start = System.nanoTime();
            PartitionLog scanned = PartitionLog.open(logDir, TP, config, 0, false, Clock.systemUTC(), Runnable::run);
            double fullScanMs = (System.nanoTime() - start) / 1e6;
            check(scanned.logEndOffset() == log.logEndOffset(), "full recovery lost data");
            System.out.printf("  %7d MiB %19.1f ms %19.1f ms%n", sizeMib, fromCheckpointMs, fullScanMs);
            scanned.close();
            deleteRecursively(logDir);
        }
    }

    private static void appendMib(PartitionLog log, ByteBuffer batch, long mib) {
        long count = mib * MIB / batch.remaining();
        for (long i = 0; i < count; i++) {
            batch.clear();
            log.append(batch, LeaderEpochs.SINGLE_BROKER);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
