package io.tributary.server;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A plain socket to the broker for tests: sends requests encoded by Apache Kafka's own request classes
 * (so the client side of the wire is Kafka's, not ours) and parses answers with Kafka's response
 * classes, or sends arbitrary bytes to see what the broker makes of them. Reads time out after 10 s so a
 * broken test fails instead of hanging.
 */
public final class RawKafkaConnection implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    private RawKafkaConnection(Socket socket, int readTimeoutMs) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(readTimeoutMs);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawKafkaConnection open(int port) {
        try {
            return new RawKafkaConnection(new Socket("127.0.0.1", port), READ_TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A connection whose connect gives up after {@code connectTimeout} and every read after {@code readTimeout} (an
     * UncheckedIOException either way).
     */
    public static RawKafkaConnection open(int port, Duration connectTimeout, Duration readTimeout) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) connectTimeout.toMillis());
            return new RawKafkaConnection(socket, (int) readTimeout.toMillis());
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connect's failure is the one to report
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code builder}'s request at {@code version} and returns Kafka's parse of the answer. */
    @SuppressWarnings("unchecked")
    public <R extends AbstractResponse> R send(AbstractRequest.Builder<?> builder, short version) {
        AbstractRequest request = builder.build(version);
        RequestHeader header = new RequestHeader(request.apiKey(), version, "raw-test", ++correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        writeFrame(bytes);
        return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(readFrame()), header);
    }

    /** Writes a size prefix and then {@code body}. */
    public void writeFrame(byte[] body) {
        ByteBuffer framed = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body);
        write(framed.array());
    }

    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response frame (without its size prefix). */
    public byte[] readFrame() {
        try {
            int size = in.readInt();
            if (size < 0 || size > 64 * 1024 * 1024) {
                throw new IllegalStateException("Implausible response size " + size);
            }
            byte[] frame = new byte[size];
            in.readFully(frame);
            return frame;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the broker closes the connection within {@code within}, reading (and discarding) anything it
     * still sends. A reset counts as closed; a connection still open at the deadline does not.
     */
    public boolean closedByBroker(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout(left);
                try {
                    if (in.read(sink) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                }
            }
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
