package io.tributary.groups.storage;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Keys and values of the records in {@code __consumer_offsets}, byte for byte as Apache Kafka writes and
 * reads them (its {@code OffsetCommitKey/Value} and {@code GroupMetadataKey/Value} message schemas), so
 * Kafka's tools can read our topic and we can read theirs.
 *
 * <p>Every key and value starts with a big-endian int16: for keys the record type, for values the value's
 * version. Strings are int16 length + UTF-8 (-1 is null), bytes int32 length (-1 null), arrays int32 count;
 * flexible versions (value version 4) use compact forms (unsigned varint length + 1, 0 is null) and end each
 * struct with a tagged-field section (unsigned varint count, then tag, size, bytes). A tombstone is a
 * record with the key and a null value.
 * <pre>
 * key type 0 or 1 (offset commit):  group string, topic string, partition int32
 * key type 2 (group metadata):      group string
 *
 * OffsetCommitValue  v0: offset int64, metadata string, commitTimestamp int64
 *                    v1: v0 + expireTimestamp int64                       (written when a v2-v4 commit set a retention)
 *                    v2: as v0
 *                    v3: offset, leaderEpoch int32, metadata, commitTimestamp
 *                    v4: as v3, flexible; tag 0 = topicId uuid            (written otherwise, as Kafka 4 does)
 * GroupMetadataValue v0: protocolType string, generation int32, protocol string?, leader string?,
 *                        members [memberId, clientId, clientHost, sessionTimeout int32, subscription bytes, assignment bytes]
 *                    v1: member + rebalanceTimeout int32 before sessionTimeout
 *                    v2: + currentStateTimestamp int64 after leader
 *                    v3: member + groupInstanceId string? after memberId  (written, as Kafka 4 does)
 *                    v4: as v3, flexible
 * </pre>
 * A value of a higher version than we know is read as our highest (KIP-915: later versions only add
 * tagged fields). Decoding is bounded ({@link WireReader}); bad bytes throw {@link MalformedMessageException}.
 */
public final class OffsetsTopicFormat {
    public static final short LEGACY_OFFSET_COMMIT_KEY_TYPE = 0;
    public static final short OFFSET_COMMIT_KEY_TYPE = 1;
    public static final short GROUP_METADATA_KEY_TYPE = 2;
    public static final short OFFSET_COMMIT_VALUE_MAX_VERSION = 4;
    public static final short GROUP_METADATA_VALUE_MAX_VERSION = 4;
    /** The group metadata value version Kafka 4 writes. */
    public static final short GROUP_METADATA_VALUE_WRITE_VERSION = 3;

    private OffsetsTopicFormat() {
    }

    // ---- keys

    public static ByteBuffer offsetCommitKey(OffsetCommitKey key) {
        int size = 2 + WireWriter.sizeOfString(key.group(), false) + WireWriter.sizeOfString(key.topic(), false) + 4;
        ByteBuffer buf = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buf);
        out.writeInt16(OFFSET_COMMIT_KEY_TYPE);
        out.writeString(key.group(), false);
        out.writeString(key.topic(), false);
        out.writeInt32(key.partition());
        return buf.flip();
    }

    public static ByteBuffer groupMetadataKey(GroupMetadataKey key) {
        ByteBuffer buf = ByteBuffer.allocate(2 + WireWriter.sizeOfString(key.group(), false));
        WireWriter out = new WireWriter(buf);
        out.writeInt16(GROUP_METADATA_KEY_TYPE);
        out.writeString(key.group(), false);
        return buf.flip();
    }

    public static ByteBuffer key(CoordinatorKey key) {
        return key instanceof OffsetCommitKey k ? offsetCommitKey(k) : groupMetadataKey((GroupMetadataKey) key);
    }

    /**
     * Decodes a key (position to limit; the buffer is not moved).
     *
     * @return the key, or null for a record type this coordinator does not own (e.g. the consumer-protocol
     *         records of KIP-848 groups), which a loader skips
     * @throws MalformedMessageException truncated or trailing bytes, a null group or topic
     */
    public static CoordinatorKey readKey(ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        short type = in.readInt16();
        CoordinatorKey key;
        if (type == LEGACY_OFFSET_COMMIT_KEY_TYPE || type == OFFSET_COMMIT_KEY_TYPE) {
            String group = in.readString(false, false);
            String topic = in.readString(false, false);
            key = new OffsetCommitKey(group, topic, in.readInt32());
        } else if (type == GROUP_METADATA_KEY_TYPE) {
            key = new GroupMetadataKey(in.readString(false, false));
        } else if (type < 0) {
            throw new MalformedMessageException("record type " + type + " is negative");
        } else {
            return null;
        }
        requireEnd(in, "key of type " + type);
        return key;
    }

    // ---- offset commit values

    /** The version Kafka 4 writes: 1 when the commit carries its own expiry, else 4. */
    public static short offsetCommitValueVersion(OffsetCommitValue value) {
        return value.expireTimestamp() >= 0 ? (short) 1 : OFFSET_COMMIT_VALUE_MAX_VERSION;
    }

    public static ByteBuffer offsetCommitValue(OffsetCommitValue value) {
        return offsetCommitValue(value, offsetCommitValueVersion(value));
    }

    /** Encodes at {@code version}; fields the version lacks are dropped, as Kafka's ignorable fields are. */
    public static ByteBuffer offsetCommitValue(OffsetCommitValue v, short version) {
        checkVersion("OffsetCommitValue", version, OFFSET_COMMIT_VALUE_MAX_VERSION);
        boolean flexible = version >= 4;
        boolean hasTopicId = flexible && v.topicId() != null && !isZero(v.topicId());
        int size = 2 + 8 + (version >= 3 ? 4 : 0) + WireWriter.sizeOfString(v.metadata(), flexible) + 8
            + (version == 1 ? 8 : 0);
        if (flexible) {
            size += hasTopicId ? 1 + 1 + 1 + 16 : 1;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buf);
        out.writeInt16(version);
        out.writeInt64(v.offset());
        if (version >= 3) {
            out.writeInt32(v.leaderEpoch());
        }
        out.writeString(v.metadata(), flexible);
        out.writeInt64(v.commitTimestamp());
        if (version == 1) {
            out.writeInt64(v.expireTimestamp());
        }
        if (flexible) {
            if (hasTopicId) {
                out.writeUnsignedVarint(1);
                out.writeUnsignedVarint(0);
                out.writeUnsignedVarint(16);
                out.writeUuid(v.topicId());
            } else {
                out.writeUnsignedVarint(0);
            }
        }
        return buf.flip();
    }

    /** Decodes a value of any version (position to limit; the buffer is not moved). */
    public static OffsetCommitValue readOffsetCommitValue(ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        short written = in.readInt16();
        if (written < 0) {
            throw new MalformedMessageException("OffsetCommitValue version " + written + " is negative");
        }
        short version = (short) Math.min(written, OFFSET_COMMIT_VALUE_MAX_VERSION);
        boolean flexible = version >= 4;
        long offset = in.readInt64();
        int leaderEpoch = version >= 3 ? in.readInt32() : -1;
        String metadata = in.readString(flexible, false);
        long commitTimestamp = in.readInt64();
        long expireTimestamp = version == 1 ? in.readInt64() : -1;
        UUID topicId = null;
        if (flexible) {
            int count = in.readTaggedFieldCount();
            for (int i = 0; i < count; i++) {
                RawTaggedField field = in.readTaggedField();
                if (field.tag() == 0) {
                    if (field.data().remaining() != 16) {
                        throw new MalformedMessageException("OffsetCommitValue topicId (tag 0) has " + field.data().remaining()
                            + " bytes, expected 16");
                    }
                    topicId = new WireReader(field.data().duplicate()).readUuid();
                }
            }
        }
        if (written == version) {
            requireEnd(in, "OffsetCommitValue v" + version);
        }
        return new OffsetCommitValue(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp, topicId);
    }

    // ---- group metadata values

    public static ByteBuffer groupMetadataValue(GroupMetadataValue value) {
        return groupMetadataValue(value, GROUP_METADATA_VALUE_WRITE_VERSION);
    }

    /** Encodes at {@code version}; fields the version lacks are dropped, as Kafka's ignorable fields are. */
    public static ByteBuffer groupMetadataValue(GroupMetadataValue v, short version) {
        checkVersion("GroupMetadataValue", version, GROUP_METADATA_VALUE_MAX_VERSION);
        boolean flexible = version >= 4;
        int size = 2 + WireWriter.sizeOfString(v.protocolType(), flexible) + 4
            + WireWriter.sizeOfString(v.protocol(), flexible) + WireWriter.sizeOfString(v.leader(), flexible)
            + (version >= 2 ? 8 : 0) + WireWriter.sizeOfArrayLength(v.members().size(), flexible) + (flexible ? 1 : 0);
        for (MemberMetadata m : v.members()) {
            size += WireWriter.sizeOfString(m.memberId(), flexible)
                + (version >= 3 ? WireWriter.sizeOfString(m.groupInstanceId(), flexible) : 0)
                + WireWriter.sizeOfString(m.clientId(), flexible) + WireWriter.sizeOfString(m.clientHost(), flexible)
                + (version >= 1 ? 4 : 0) + 4
                + WireWriter.sizeOfBytes(ByteBuffer.wrap(m.subscription()), flexible)
                + WireWriter.sizeOfBytes(ByteBuffer.wrap(m.assignment()), flexible) + (flexible ? 1 : 0);
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buf);
        out.writeInt16(version);
        out.writeString(v.protocolType(), flexible);
        out.writeInt32(v.generation());
        out.writeString(v.protocol(), flexible);
        out.writeString(v.leader(), flexible);
        if (version >= 2) {
            out.writeInt64(v.currentStateTimestamp());
        }
        out.writeArrayLength(v.members().size(), flexible);
        for (MemberMetadata m : v.members()) {
            out.writeString(m.memberId(), flexible);
            if (version >= 3) {
                out.writeString(m.groupInstanceId(), flexible);
            }
            out.writeString(m.clientId(), flexible);
            out.writeString(m.clientHost(), flexible);
            if (version >= 1) {
                out.writeInt32(m.rebalanceTimeoutMs());
            }
            out.writeInt32(m.sessionTimeoutMs());
            out.writeBytes(ByteBuffer.wrap(m.subscription()), flexible);
            out.writeBytes(ByteBuffer.wrap(m.assignment()), flexible);
            if (flexible) {
                out.writeUnsignedVarint(0);
            }
        }
        if (flexible) {
            out.writeUnsignedVarint(0);
        }
        return buf.flip();
    }

    /** Decodes a value of any version (position to limit; the buffer is not moved). Byte fields are copied. */
    public static GroupMetadataValue readGroupMetadataValue(ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        short written = in.readInt16();
        if (written < 0) {
            throw new MalformedMessageException("GroupMetadataValue version " + written + " is negative");
        }
        short version = (short) Math.min(written, GROUP_METADATA_VALUE_MAX_VERSION);
        boolean flexible = version >= 4;
        String protocolType = in.readString(flexible, false);
        int generation = in.readInt32();
        String protocol = in.readString(flexible, true);
        String leader = in.readString(flexible, true);
        long currentStateTimestamp = version >= 2 ? in.readInt64() : -1;
        // smallest member: four empty strings (1 or 2 bytes each), the timeouts, two empty byte strings
        int count = in.readArrayLength(flexible, false, flexible ? 8 : 18);
        List<MemberMetadata> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String memberId = in.readString(flexible, false);
            String instanceId = version >= 3 ? in.readString(flexible, true) : null;
            String clientId = in.readString(flexible, false);
            String clientHost = in.readString(flexible, false);
            int rebalanceTimeout = version >= 1 ? in.readInt32() : -1;
            int sessionTimeout = in.readInt32();
            byte[] subscription = copy(in.readBytes(flexible, false));
            byte[] assignment = copy(in.readBytes(flexible, false));
            if (flexible) {
                skipTaggedFields(in);
            }
            members.add(new MemberMetadata(memberId, instanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout,
                subscription, assignment));
        }
        if (flexible) {
            skipTaggedFields(in);
        }
        if (written == version) {
            requireEnd(in, "GroupMetadataValue v" + version);
        }
        return new GroupMetadataValue(protocolType, generation, protocol, leader, currentStateTimestamp, members);
    }

    // ---- helpers

    private static void skipTaggedFields(WireReader in) {
        int count = in.readTaggedFieldCount();
        for (int i = 0; i < count; i++) {
            in.readTaggedField();
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static boolean isZero(UUID id) {
        return id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0;
    }

    private static void checkVersion(String what, short version, short max) {
        if (version < 0 || version > max) {
            throw new IllegalArgumentException(what + " version " + version + " is outside 0-" + max);
        }
    }

    private static void requireEnd(WireReader in, String what) {
        if (in.remaining() != 0) {
            throw new MalformedMessageException(in.remaining() + " bytes are left over after the " + what);
        }
    }
}
