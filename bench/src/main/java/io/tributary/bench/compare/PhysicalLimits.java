package io.tributary.bench.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The machine's ceilings, measured in the same run as the brokers so each broker figure also reads as a
 * fraction of what the hardware allows: the disk's sequential write bandwidth (1 MiB writes, then fsync,
 * timed together) in the directory the brokers write to, and the rate a file in the page cache can be
 * sent with sendfile ({@code transferTo}) to a loopback socket drained by another thread — the path a
 * zero-copy fetch takes.
 */
public record PhysicalLimits(double diskWriteMegabytesPerSecond, double sendfileMegabytesPerSecond) {
    private static final int MIB = 1024 * 1024;

    static PhysicalLimits measure(Path dir, int diskMib, int sendfileMib) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("limits.bin");
        try {
            double disk = diskWrite(file, diskMib);
            double sendfile = sendfile(file, Math.min(diskMib, 256), sendfileMib);
            return new PhysicalLimits(disk, sendfile);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double diskWrite(Path file, int mib) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
        byte[] random = new byte[MIB];
        ThreadLocalRandom.current().nextBytes(random);
        chunk.put(random).flip();
        long start = System.nanoTime();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int i = 0; i < mib; i++) {
                chunk.rewind();
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        }
        return mib * (double) MIB / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    /** Sends {@code totalMib} from the first {@code fileMib} of the file (cached by the write) to loopback. */
    private static double sendfile(Path file, int fileMib, int totalMib) throws Exception {
        ExecutorService drain = Executors.newSingleThreadExecutor(r -> new Thread(r, "limits-drain"));
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel out = SocketChannel.open(server.getLocalAddress());
             SocketChannel in = server.accept();
             FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = (long) totalMib * MIB;
            Future<?> drained = drain.submit(() -> {
                ByteBuffer sink = ByteBuffer.allocateDirect(MIB);
                long read = 0;
                while (read < total) {
                    sink.clear();
                    int n = in.read(sink);
                    if (n < 0) {
                        throw new IOException("loopback closed after " + read + " of " + total + " bytes");
                    }
                    read += n;
                }
                return null;
            });
            long fileBytes = (long) fileMib * MIB;
            long start = System.nanoTime();
            long sent = 0;
            while (sent < total) {
                long position = sent % fileBytes;
                sent += source.transferTo(position, Math.min(fileBytes - position, total - sent), out);
            }
            drained.get(5, TimeUnit.MINUTES);
            return total / 1e6 / ((System.nanoTime() - start) / 1e9);
        } finally {
            drain.shutdownNow();
        }
    }
}
