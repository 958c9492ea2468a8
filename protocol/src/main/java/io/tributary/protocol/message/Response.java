package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireReader;

import java.nio.ByteBuffer;

/**
 * A decoded response: its header and its body. A client knows which API and version a response answers
 * only from the request it sent with the same correlation id, so both are parameters here.
 */
public record Response(ResponseHeader header, Struct body) {

    /** Decodes a whole response frame (without the size prefix); bytes left over are malformed. */
    public static Response read(ByteBuffer frame, ApiKey api, short version) {
        WireReader in = new WireReader(frame);
        ResponseHeader header = ResponseHeader.read(in, api.responseHeaderVersion(version));
        Struct body = ApiSchemas.response(api).read(frame, version);
        return new Response(header, body);
    }
}
