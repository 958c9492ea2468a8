package io.tributary.server.replica;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.Node;
import io.tributary.protocol.message.OutboundMessage;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.Response;
import io.tributary.protocol.message.schema.Struct;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * One follower fetcher's connection to a leader broker: a blocking socket speaking the Kafka protocol with the protocol
 * module's codecs, one request at a time (a fetcher waits for each answer before it sends the next, as Kafka's does).
 * The response frame is read whole into a heap buffer; its records fields are slices of that buffer, which the caller
 * appends to its logs before the next request.
 *
 * <p>Design note: blocking I/O on the fetcher's own thread keeps the fetch loop readable and off the Netty event loops
 * that serve clients; a broker has only {@code num.replica.fetchers} of these per source broker. The transaction
 * coordinator's marker channel ({@code io.tributary.server.txn.ClusterMarkerChannel}) sends WriteTxnMarkers over it too.
 */
public final class LeaderConnection implements AutoCloseable {
    /** The largest response frame accepted from a leader: above any fetch max bytes a follower asks for, plus overhead. */
    private static final int MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 64;

    private final Node leader;
    private final String clientId;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    private LeaderConnection(Node leader, String clientId, Socket socket) throws IOException {
        this.leader = leader;
        this.clientId = clientId;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    public static LeaderConnection open(Node leader, String clientId, int connectTimeoutMs, int readTimeoutMs) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMs);
            socket.connect(new InetSocketAddress(leader.host(), leader.port()), connectTimeoutMs);
            return new LeaderConnection(leader, clientId, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Node leader() {
        return leader;
    }

    /** Sends {@code body} as {@code api} at {@code version} and returns the decoded answer. */
    public Struct call(ApiKey api, short version, Struct body) throws IOException {
        RequestHeader header = new RequestHeader(api, version, ++correlationId, clientId);
        OutboundMessage message = OutboundMessage.request(header, body);
        ByteBuffer frame = ByteBuffer.allocate(message.inlineSize());
        message.writeFrame(frame);
        out.write(frame.array(), 0, frame.position());
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("Implausible response size " + size + " from broker " + leader);
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        Response response = Response.read(ByteBuffer.wrap(bytes), api, version);
        if (response.header().correlationId() != header.correlationId()) {
            throw new IOException("Broker " + leader + " answered correlation id " + response.header().correlationId()
                + " to request " + header.correlationId());
        }
        return response.body();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
