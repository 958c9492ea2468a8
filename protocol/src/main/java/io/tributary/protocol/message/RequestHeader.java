package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.List;

/**
 * The header in front of every request body.
 * <pre>
 * v0  request_api_key int16, request_api_version int16, correlation_id int32
 * v1  v0 + client_id nullable string (int16 length, -1 = null)
 * v2  v1 + tagged fields (unsigned varint count, then tag/size/bytes each)
 * </pre>
 * client_id stays a classic (non-compact) nullable string in v2: a broker must read it before it knows
 * whether it understands the request's version. Which header version a request uses follows from its API
 * and version ({@link ApiKey#requestHeaderVersion}): v2 for flexible versions, else v1; v0 was used only
 * by ControlledShutdown v0, which no longer exists, but is decoded and encoded for completeness.
 *
 * @param apiKey              the API
 * @param apiVersion          the version of the body that follows; possibly one we do not support
 * @param correlationId       echoed in the response header
 * @param clientId            null in v0, or when the client sent null
 * @param unknownTaggedFields v2 tagged fields (none are defined), kept to re-encode them
 */
public record RequestHeader(ApiKey apiKey, short apiVersion, int correlationId, String clientId,
                            List<RawTaggedField> unknownTaggedFields) {

    public RequestHeader {
        unknownTaggedFields = List.copyOf(unknownTaggedFields);
    }

    public RequestHeader(ApiKey apiKey, short apiVersion, int correlationId, String clientId) {
        this(apiKey, apiVersion, correlationId, clientId, List.of());
    }

    /** The header version this request's API and version call for. */
    public short headerVersion() {
        return apiKey.requestHeaderVersion(apiVersion);
    }

    /**
     * Reads a header whose version follows from the API key and version it starts with.
     *
     * @throws MalformedMessageException for an API key we do not serve (the rest of the header cannot be
     *                                   read without knowing its version) or truncated input
     */
    public static RequestHeader read(WireReader in) {
        return read(in, (short) -1);
    }

    /** Reads a header of the given version (0-2), or of the version its API calls for when {@code headerVersion} is -1. */
    public static RequestHeader read(WireReader in, short headerVersion) {
        try {
            short key = in.readInt16();
            short version = in.readInt16();
            int correlationId = in.readInt32();
            ApiKey api = ApiKey.forId(key);
            if (api == null) {
                throw new MalformedMessageException("API key " + key + " is not one this broker serves");
            }
            short hv = headerVersion < 0 ? api.requestHeaderVersion(version) : checkVersion(headerVersion);
            String clientId = hv >= 1 ? in.readString(false, true) : null;
            List<RawTaggedField> tagged = hv >= 2 ? TaggedFields.read(in) : List.of();
            return new RequestHeader(api, version, correlationId, clientId, tagged);
        } catch (MalformedMessageException e) {
            throw e.inMessage("RequestHeader");
        }
    }

    private static short checkVersion(short headerVersion) {
        if (headerVersion > 2) {
            throw new IllegalArgumentException("Request header version " + headerVersion + " does not exist; there are 0 to 2");
        }
        return headerVersion;
    }

    /** Bytes the header takes at its own {@link #headerVersion()}. */
    public int sizeInBytes() {
        return sizeInBytes(headerVersion());
    }

    public int sizeInBytes(short headerVersion) {
        checkVersion(headerVersion);
        int size = 8;
        if (headerVersion >= 1) {
            size += WireWriter.sizeOfString(clientId, false);
        }
        if (headerVersion >= 2) {
            size += TaggedFields.size(unknownTaggedFields);
        }
        return size;
    }

    public void write(WireWriter out) {
        write(out, headerVersion());
    }

    /** Writes the header at {@code headerVersion}; a client id or tagged fields that version cannot carry are refused. */
    public void write(WireWriter out, short headerVersion) {
        checkVersion(headerVersion);
        if (headerVersion < 1 && clientId != null) {
            throw new IllegalArgumentException("Request header v0 has no client id, but it is " + clientId);
        }
        if (headerVersion < 2 && !unknownTaggedFields.isEmpty()) {
            throw new IllegalArgumentException("Request header v" + headerVersion + " has no tagged fields, but "
                + unknownTaggedFields.size() + " are set");
        }
        out.writeInt16(apiKey.id());
        out.writeInt16(apiVersion);
        out.writeInt32(correlationId);
        if (headerVersion >= 1) {
            out.writeString(clientId, false);
        }
        if (headerVersion >= 2) {
            TaggedFields.write(unknownTaggedFields, out);
        }
    }
}
