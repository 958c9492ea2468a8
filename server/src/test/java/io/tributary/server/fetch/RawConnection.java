package io.tributary.server.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.OutboundMessage;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.Response;
import io.tributary.protocol.message.schema.Struct;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A bare Kafka-protocol connection over a real socket, speaking through our protocol module, for requests
 * a real client would never send (bad session epochs, unknown topic ids, replica ids) and for timing a
 * single request (public for the other packages' wire tests). Blocking: {@link #call} waits for its answer; {@link #send} and {@link #receive} split the two.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    public RawConnection(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request and returns its correlation id without waiting for the answer. */
    public int send(ApiKey api, short version, Struct body) {
        int correlationId = nextCorrelationId++;
        OutboundMessage message = OutboundMessage.request(new RequestHeader(api, version, correlationId, "raw-test"), body);
        ByteBuffer frame = ByteBuffer.allocate(message.inlineSize());
        message.writeFrame(frame);
        try {
            out.write(frame.array());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return correlationId;
    }

    /** Reads the next response frame, which must answer {@code correlationId}. */
    public Struct receive(ApiKey api, short version, int correlationId, Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            int size = in.readInt();
            byte[] frame = new byte[size];
            in.readFully(frame);
            Response response = Response.read(ByteBuffer.wrap(frame), api, version);
            if (response.header().correlationId() != correlationId) {
                throw new IllegalStateException("Expected the answer to request " + correlationId + " but got "
                    + response.header().correlationId());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request and waits up to 30 s for its answer. */
    public Struct call(ApiKey api, short version, Struct body) {
        return receive(api, version, send(api, version, body), Duration.ofSeconds(30));
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
