package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.ExternalRecords;
import io.tributary.protocol.message.wire.ExternalRecordsSink;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * A request or response sized and validated for sending, framed as Kafka frames it:
 * <pre>
 * size int32 (bytes that follow) | header | body
 * </pre>
 * The body may hold {@link ExternalRecords}: their length prefix is written, their bytes are not. Sending
 * a response from a broker, where the records come from log segments:
 * <pre>{@code
 * OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, version, correlationId, body); // sizes, validates
 * ByteBuf buf = alloc.buffer(out.inlineSize());
 * List<Part> parts = ...;                          // (position, records) pairs, in order
 * out.writeFrame(buf.nioBuffer(0, out.inlineSize()), (position, records) -> parts.add(...));
 * // send buf[0, p1), records 1 as a FileRegion, buf[p1, p2), records 2, ..., buf[pn, inlineSize)
 * }</pre>
 * Sizes are computed once, at construction; the body must not change between construction and
 * {@link #writeFrame}.
 */
public final class OutboundMessage {
    private final MessageSchema schema;
    private final short version;
    private final Struct body;
    private final RequestHeader requestHeader;
    private final ResponseHeader responseHeader;
    private final short headerVersion;
    private final int size;
    private final int externalSize;

    private OutboundMessage(MessageSchema schema, short version, Struct body, RequestHeader requestHeader,
                            ResponseHeader responseHeader, short headerVersion) {
        this.schema = schema;
        this.version = version;
        this.body = body;
        this.requestHeader = requestHeader;
        this.responseHeader = responseHeader;
        this.headerVersion = headerVersion;
        int headerSize = requestHeader != null ? requestHeader.sizeInBytes(headerVersion) : responseHeader.sizeInBytes(headerVersion);
        this.size = headerSize + schema.sizeOf(body, version);
        this.externalSize = schema.externalSizeOf(body, version);
    }

    /**
     * A response to a request of {@code api} at {@code version}, with the header version that calls for.
     *
     * @throws UnsupportedVersionException for a non-default value in a field the version lacks
     * @throws IllegalArgumentException    for a null the version does not allow, or a string too long
     */
    public static OutboundMessage response(ApiKey api, short version, int correlationId, Struct body) {
        return new OutboundMessage(ApiSchemas.response(api), version, body, null, new ResponseHeader(correlationId),
            api.responseHeaderVersion(version));
    }

    /** A request with {@code header} (whose API and version select the body's schema) and its header version. */
    public static OutboundMessage request(RequestHeader header, Struct body) {
        return new OutboundMessage(ApiSchemas.request(header.apiKey()), header.apiVersion(), body, header, null,
            header.headerVersion());
    }

    /** The frame's size field: header and body, external record bytes included, the size field itself not. */
    public int size() {
        return size;
    }

    /** Bytes of external records, which the caller sends itself. */
    public int externalSize() {
        return externalSize;
    }

    /** Bytes {@link #writeFrame} writes: the size field, the header and the body without external records. */
    public int inlineSize() {
        return 4 + size - externalSize;
    }

    /**
     * Writes the frame at {@code dst}'s position ({@link #inlineSize} bytes must fit), reporting each
     * external records value to {@code sink} with the position in {@code dst} where its bytes belong.
     */
    public void writeFrame(ByteBuffer dst, ExternalRecordsSink sink) {
        if (dst.remaining() < inlineSize()) {
            throw new IllegalArgumentException("The frame needs " + inlineSize() + " bytes but the buffer has " + dst.remaining());
        }
        WireWriter out = new WireWriter(dst, sink);
        out.writeInt32(size);
        if (requestHeader != null) {
            requestHeader.write(out, headerVersion);
        } else {
            responseHeader.write(out, headerVersion);
        }
        schema.write(body, version, out);
    }

    /** Writes a frame that holds no external records. */
    public void writeFrame(ByteBuffer dst) {
        writeFrame(dst, ExternalRecordsSink.REJECT);
    }
}
