package io.tributary.clients.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream of one broker connection as the framing code sees it: plaintext bytes in and out, whatever the
 * socket carries. {@link Plain} passes them straight to the socket; {@link TlsTransport} encrypts them. All calls come
 * from the I/O thread and never block.
 */
interface Transport {
    /**
     * Moves the transport's own setup forward (a TLS handshake) as far as the socket allows.
     *
     * @return true once the transport carries application bytes
     */
    boolean handshake() throws IOException;

    /** Reads into {@code dst} as much as is available now; -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes from {@code srcs} as much as the socket takes now; returns the plaintext bytes consumed. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Writes bytes the transport holds back (TLS records made but not yet taken by the socket).
     *
     * @return true when nothing is left held back
     */
    boolean flush() throws IOException;

    /** The plain TCP stream. */
    record Plain(SocketChannel channel) implements Transport {
        @Override
        public boolean handshake() {
            return true;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return channel.write(srcs, offset, length);
        }

        @Override
        public boolean flush() {
            return true;
        }
    }
}
