package io.tributary.protocol.message;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.List;

/**
 * The header in front of every response body.
 * <pre>
 * v0  correlation_id int32
 * v1  v0 + tagged fields (unsigned varint count, then tag/size/bytes each)
 * </pre>
 * v1 goes with flexible versions, v0 with the rest and always with ApiVersions
 * ({@link io.tributary.protocol.ApiKey#responseHeaderVersion}).
 *
 * @param correlationId       the request's correlation id
 * @param unknownTaggedFields v1 tagged fields (none are defined), kept to re-encode them
 */
public record ResponseHeader(int correlationId, List<RawTaggedField> unknownTaggedFields) {

    public ResponseHeader {
        unknownTaggedFields = List.copyOf(unknownTaggedFields);
    }

    public ResponseHeader(int correlationId) {
        this(correlationId, List.of());
    }

    public static ResponseHeader read(WireReader in, short headerVersion) {
        checkVersion(headerVersion);
        try {
            int correlationId = in.readInt32();
            return new ResponseHeader(correlationId, headerVersion >= 1 ? TaggedFields.read(in) : List.of());
        } catch (MalformedMessageException e) {
            throw e.inMessage("ResponseHeader");
        }
    }

    private static void checkVersion(short headerVersion) {
        if (headerVersion < 0 || headerVersion > 1) {
            throw new IllegalArgumentException("Response header version " + headerVersion + " does not exist; there are 0 and 1");
        }
    }

    public int sizeInBytes(short headerVersion) {
        checkVersion(headerVersion);
        return 4 + (headerVersion >= 1 ? TaggedFields.size(unknownTaggedFields) : 0);
    }

    public void write(WireWriter out, short headerVersion) {
        checkVersion(headerVersion);
        if (headerVersion < 1 && !unknownTaggedFields.isEmpty()) {
            throw new IllegalArgumentException("Response header v0 has no tagged fields, but " + unknownTaggedFields.size() + " are set");
        }
        out.writeInt32(correlationId);
        if (headerVersion >= 1) {
            TaggedFields.write(unknownTaggedFields, out);
        }
    }
}
