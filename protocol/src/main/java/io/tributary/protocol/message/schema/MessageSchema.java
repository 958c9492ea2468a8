package io.tributary.protocol.message.schema;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * The body of one API's request or response, for every version the {@link ApiKey} serves: its root
 * {@link StructSchema} plus which versions are flexible (compact encodings and tagged fields). The entry
 * point for decoding and encoding a body; headers are separate.
 *
 * <p>Encoding is two passes: {@link #sizeOf} (which also validates: nulls, string lengths, fields the
 * version lacks) then {@link #write} into a buffer of exactly that size, with external records reported
 * to the writer's sink. {@link #externalSizeOf} says how many of those bytes the caller sends itself.
 */
public final class MessageSchema {
    private final ApiKey api;
    private final boolean request;
    private final StructSchema root;
    private final String title;

    private MessageSchema(ApiKey api, boolean request, StructSchema root) {
        this.api = api;
        this.request = request;
        this.root = root;
        this.title = api.title() + (request ? "Request" : "Response");
        root.prepare(api);
    }

    public static MessageSchema request(ApiKey api, StructSchema root) {
        return new MessageSchema(api, true, root);
    }

    public static MessageSchema response(ApiKey api, StructSchema root) {
        return new MessageSchema(api, false, root);
    }

    public ApiKey apiKey() {
        return api;
    }

    public boolean isRequest() {
        return request;
    }

    public StructSchema root() {
        return root;
    }

    /** "ProduceRequest", "FetchResponse". */
    public String title() {
        return title;
    }

    /** A message of defaults, to fill in. */
    public Struct newStruct() {
        return root.newStruct();
    }

    private void checkVersion(short version) {
        if (!api.isVersionSupported(version)) {
            throw new UnsupportedVersionException(title + " version " + version + " is outside the supported range "
                + api.minVersion() + "-" + api.maxVersion());
        }
    }

    /**
     * Decodes a body from {@code buffer}'s position to its limit, which must hold exactly the body: bytes
     * left over are malformed. Bytes, records and unknown tagged fields in the result are slices of
     * {@code buffer}. The buffer's position is moved to its limit.
     */
    public Struct read(ByteBuffer buffer, short version) {
        WireReader in = new WireReader(buffer);
        Struct s = read(in, version);
        if (in.remaining() != 0) {
            throw new MalformedMessageException(in.remaining() + " bytes are left over after the message").inMessage(title + " v" + version);
        }
        return s;
    }

    /** Decodes a body from the reader's current position, leaving the reader after it. */
    public Struct read(WireReader in, short version) {
        checkVersion(version);
        try {
            return root.read(in, version, api.isFlexible(version));
        } catch (MalformedMessageException e) {
            throw e.inMessage(title + " v" + version);
        }
    }

    private void checkRoot(Struct s) {
        if (s.schema() != root) {
            throw new IllegalArgumentException(title + " cannot encode a " + s.schema().name());
        }
    }

    /**
     * Bytes the body takes at {@code version}, including the bytes of external records.
     *
     * @throws UnsupportedVersionException for a non-default value in a non-ignorable field the version lacks
     * @throws IllegalArgumentException for a null where the version does not allow it, or a string too long
     */
    public int sizeOf(Struct body, short version) {
        checkVersion(version);
        checkRoot(body);
        return root.size(body, version, api.isFlexible(version));
    }

    /** Bytes of {@link io.tributary.protocol.message.wire.ExternalRecords} values in the body, which the writer does not write. */
    public int externalSizeOf(Struct body, short version) {
        checkVersion(version);
        checkRoot(body);
        return root.externalSize(body, version, api.isFlexible(version));
    }

    /** Writes the body; the writer's buffer must have room for {@code sizeOf - externalSizeOf} bytes. */
    public void write(Struct body, short version, WireWriter out) {
        checkVersion(version);
        checkRoot(body);
        root.write(body, out, version, api.isFlexible(version));
    }

    /**
     * The body's layout at {@code version} in Kafka's schema notation, e.g.
     * {@code {transactional_id:COMPACT_NULLABLE_STRING,acks:INT16,...,_tagged_fields:TAGGED()}}: the
     * same text as rendering Kafka's own schema, so the two can be compared.
     */
    public String describe(short version) {
        checkVersion(version);
        return root.describe(version, api.isFlexible(version));
    }

    @Override
    public String toString() {
        return title;
    }
}
