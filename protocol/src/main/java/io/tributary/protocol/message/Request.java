package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireReader;

import java.nio.ByteBuffer;

/**
 * A decoded request: its header and its body. How a broker reads one frame (the bytes after the 4-byte
 * size prefix):
 * <pre>{@code
 * WireReader in = new WireReader(frame);
 * RequestHeader header = RequestHeader.read(in);   // MalformedMessageException: close the connection
 * if (!header.apiKey().isVersionSupported(header.apiVersion())) {
 *     // ApiVersions: answer UNSUPPORTED_VERSION in an ApiVersions v0 response; other APIs: close
 * }
 * Struct body = ApiSchemas.request(header.apiKey()).read(frame, header.apiVersion());
 * }</pre>
 * or, when an unsupported version may simply close the connection, {@link #read}. A failure to decode the
 * body is a MalformedMessageException (answer INVALID_REQUEST or close).
 * }</pre>
 * The body's records and bytes fields are slices of {@code frame}, which must therefore outlive it.
 */
public record Request(RequestHeader header, Struct body) {

    public ApiKey apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    /**
     * Decodes a whole request frame (header and body, without the size prefix); bytes left over are
     * malformed.
     *
     * @throws MalformedMessageException   when the bytes are not a valid request
     * @throws UnsupportedVersionException when the header is valid but names a version we do not serve
     *                                     (use {@link RequestHeader#read} first to answer it)
     */
    public static Request read(ByteBuffer frame) {
        WireReader in = new WireReader(frame);
        RequestHeader header = RequestHeader.read(in);
        Struct body = ApiSchemas.request(header.apiKey()).read(frame, header.apiVersion());
        return new Request(header, body);
    }
}
