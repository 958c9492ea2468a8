package io.tributary.clients.network;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine} (the clients' network layer is java.nio, not Netty).
 *
 * <p>Buffers and their modes: {@code netIn} (write mode) holds socket bytes not yet unwrapped; {@code appIn} (read
 * mode) holds decrypted bytes not yet handed to {@link #read}; {@code netOut} (read mode) holds TLS records not yet
 * taken by the socket. Invariant: {@link #read} returns less than asked only when neither {@code appIn} nor the socket
 * has more now, so the selector's next readiness event is never needed for bytes already decrypted; and {@link #write}
 * makes new records only once {@code netOut} is empty, so records leave in order.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer[] EMPTY_ARRAY = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean handshakeDone;
    private boolean endOfStream;

    TlsTransport(SocketChannel channel, SSLEngine engine) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        engine.beginHandshake();
    }

    @Override
    public boolean handshake() throws IOException {
        if (handshakeDone) {
            return true;
        }
        while (true) {
            if (!flush()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY_ARRAY, 0, 0);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        if (endOfStream) {
                            throw new EOFException("the broker closed the connection during the TLS handshake");
                        }
                        return false;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    if (!flush()) {
                        return false;
                    }
                    handshakeDone = true;
                    return true;
                }
            }
        }
    }


    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            if (appIn.hasRemaining()) {
                int n = Math.min(appIn.remaining(), dst.remaining());
                ByteBuffer slice = appIn.duplicate();
                slice.limit(slice.position() + n);
                dst.put(slice);
                appIn.position(appIn.position() + n);
                total += n;
                continue;
            }
            if (!unwrap()) {
                break;
            }
            // A post-handshake message (TLS 1.3 key update) may need an answer.
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
                || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                } else {
                    wrap(EMPTY_ARRAY, 0, 0);
                    flush();
                }
            }
        }
        return total == 0 && endOfStream ? -1 : total;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long consumed = 0;
        while (flush() && remaining(srcs, offset, length) > 0) {
            int n = wrap(srcs, offset, length);
            if (n == 0) {
                break;
            }
            consumed += n;
        }
        return consumed;
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long r = 0;
        for (int i = offset; i < offset + length; i++) {
            r += srcs[i].remaining();
        }
        return r;
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Makes one TLS record (or handshake message) from {@code srcs} into netOut; returns the plaintext bytes consumed. */
    private int wrap(ByteBuffer[] srcs, int offset, int length) throws IOException {
        while (true) {
            netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(srcs, offset, length, netOut);
            } finally {
                netOut.flip();
            }
            switch (result.getStatus()) {
                case OK -> {
                    return result.bytesConsumed();
                }
                case BUFFER_OVERFLOW -> {
                    if (netOut.hasRemaining()) {
                        return 0; // flush first
                    }
                    netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize())).flip();
                }
                case CLOSED -> throw new SSLException("the TLS session is closed");
                default -> throw new SSLException("unexpected TLS wrap status " + result.getStatus());
            }
        }
    }

    /**
     * Unwraps one TLS record from netIn into appIn, reading from the socket when netIn holds no whole record.
     *
     * @return false when no record can be unwrapped now (the socket has no more bytes, or has ended)
     */
    private boolean unwrap() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK -> {
                    return true;
                }
                case BUFFER_UNDERFLOW -> {
                    int packet = engine.getSession().getPacketBufferSize();
                    if (netIn.remaining() < packet) {
                        ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + packet);
                        netIn.flip();
                        bigger.put(netIn);
                        netIn = bigger;
                    }
                    int n = channel.read(netIn);
                    if (n < 0) {
                        endOfStream = true;
                        return false;
                    }
                    if (n == 0) {
                        return false;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    if (appIn.hasRemaining()) {
                        return true; // hand out what is decrypted first
                    }
                    appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize())).flip();
                }
                case CLOSED -> {
                    endOfStream = true;
                    return false;
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // on the I/O thread: certificate checks are short, and nothing else may touch this connection meanwhile
        }
    }
}
