package io.tributary.server.txn;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys and values of the records in {@code __transaction_state}, byte for byte as Apache Kafka 4.3 writes and reads
 * them (its {@code TransactionLogKey} and {@code TransactionLogValue}), so Kafka's tools read our topic and we read
 * theirs. Both start with a big-endian int16 version.
 * <pre>
 * key   v0: transactional_id string
 * value v0: producer_id int64, producer_epoch int16, transaction_timeout_ms int32, transaction_status int8,
 *           transaction_partitions [topic string, partition_ids [int32]] (nullable),
 *           transaction_last_update_timestamp_ms int64, transaction_start_timestamp_ms int64
 *       v1: the same, flexible (compact strings and arrays, tagged fields); tags 0 previous_producer_id int64,
 *           1 next_producer_id int64, 2 client_transaction_version int16, 3 next_producer_epoch int16
 * </pre>
 * Written: v1 when the transaction uses protocol version 2 (it needs the tags), else v0 — as Kafka does. A null
 * value is the tombstone of an expired id. A value of a later version is read as v1 (KIP-915: only tags are added).
 */
public final class TransactionLogFormat {
    public static final short KEY_VERSION = 0;
    public static final short VALUE_MAX_VERSION = 1;

    private TransactionLogFormat() {
    }

    public static ByteBuffer key(String transactionalId) {
        ByteBuffer buf = ByteBuffer.allocate(2 + WireWriter.sizeOfString(transactionalId, false));
        WireWriter out = new WireWriter(buf);
        out.writeInt16(KEY_VERSION);
        out.writeString(transactionalId, false);
        return buf.flip();
    }

    /** The transactional id of a key (position to limit; the buffer is not moved). */
    public static String readKey(ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        short version = in.readInt16();
        if (version != KEY_VERSION) {
            throw new MalformedMessageException("TransactionLogKey version " + version + " is not " + KEY_VERSION);
        }
        String id = in.readString(false, false);
        if (in.remaining() != 0) {
            throw new MalformedMessageException("TransactionLogKey has " + in.remaining() + " bytes after the transactional id");
        }
        return id;
    }

    public static ByteBuffer value(TransactionLogValue v) {
        return value(v, v.clientTransactionVersion() >= 2 ? (short) 1 : (short) 0);
    }

    public static ByteBuffer value(TransactionLogValue v, short version) {
        boolean flexible = version >= 1;
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : v.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.values().forEach(l -> l.sort(null));
        int size = 2 + 8 + 2 + 4 + 1 + WireWriter.sizeOfArrayLength(byTopic.size(), flexible) + 8 + 8;
        for (Map.Entry<String, List<Integer>> t : byTopic.entrySet()) {
            size += WireWriter.sizeOfString(t.getKey(), flexible) + WireWriter.sizeOfArrayLength(t.getValue().size(), flexible)
                + 4 * t.getValue().size() + (flexible ? 1 : 0);
        }
        List<int[]> tags = new ArrayList<>(); // {tag, width}
        if (flexible) {
            if (v.previousProducerId() != -1) {
                tags.add(new int[] {0, 8});
            }
            if (v.nextProducerId() != -1) {
                tags.add(new int[] {1, 8});
            }
            if (v.clientTransactionVersion() != 0) {
                tags.add(new int[] {2, 2});
            }
            if (v.nextProducerEpoch() != -1) {
                tags.add(new int[] {3, 2});
            }
            size += WireWriter.sizeOfUnsignedVarint(tags.size());
            for (int[] tag : tags) {
                size += 2 + tag[1];
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buf);
        out.writeInt16(version);
        out.writeInt64(v.producerId());
        out.writeInt16(v.producerEpoch());
        out.writeInt32(v.timeoutMs());
        out.writeInt8(v.state().code());
        out.writeArrayLength(byTopic.size(), flexible);
        for (Map.Entry<String, List<Integer>> t : byTopic.entrySet()) {
            out.writeString(t.getKey(), flexible);
            out.writeArrayLength(t.getValue().size(), flexible);
            for (int p : t.getValue()) {
                out.writeInt32(p);
            }
            if (flexible) {
                out.writeUnsignedVarint(0);
            }
        }
        out.writeInt64(v.lastUpdateMs());
        out.writeInt64(v.startMs());
        if (flexible) {
            out.writeUnsignedVarint(tags.size());
            for (int[] tag : tags) {
                out.writeUnsignedVarint(tag[0]);
                out.writeUnsignedVarint(tag[1]);
                switch (tag[0]) {
                    case 0 -> out.writeInt64(v.previousProducerId());
                    case 1 -> out.writeInt64(v.nextProducerId());
                    case 2 -> out.writeInt16(v.clientTransactionVersion());
                    default -> out.writeInt16(v.nextProducerEpoch());
                }
            }
        }
        return buf.flip();
    }

    /** Decodes a value of any version (position to limit; the buffer is not moved). */
    public static TransactionLogValue readValue(ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        short written = in.readInt16();
        if (written < 0) {
            throw new MalformedMessageException("TransactionLogValue version " + written + " is negative");
        }
        boolean flexible = written >= 1;
        long producerId = in.readInt64();
        short epoch = in.readInt16();
        int timeoutMs = in.readInt32();
        byte status = in.readInt8();
        TransactionState state = TransactionState.forCode(status);
        if (state == null) {
            throw new MalformedMessageException("TransactionLogValue status " + status + " is not one of Kafka's");
        }
        Set<TopicPartition> partitions = new HashSet<>();
        int topics = in.readArrayLength(flexible, true, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++) {
            String topic = in.readString(flexible, false);
            int count = in.readArrayLength(flexible, false, 4);
            for (int i = 0; i < count; i++) {
                partitions.add(new TopicPartition(topic, in.readInt32()));
            }
            if (flexible) {
                skipTaggedFields(in);
            }
        }
        long lastUpdateMs = in.readInt64();
        long startMs = in.readInt64();
        long previousProducerId = -1;
        long nextProducerId = -1;
        short clientVersion = 0;
        short nextEpoch = -1;
        if (flexible) {
            int count = in.readTaggedFieldCount();
            for (int i = 0; i < count; i++) {
                RawTaggedField field = in.readTaggedField();
                WireReader data = new WireReader(field.data().duplicate());
                switch (field.tag()) {
                    case 0 -> previousProducerId = data.readInt64();
                    case 1 -> nextProducerId = data.readInt64();
                    case 2 -> clientVersion = data.readInt16();
                    case 3 -> nextEpoch = data.readInt16();
                    default -> { } // a later version's field
                }
            }
        }
        if (written <= VALUE_MAX_VERSION && in.remaining() != 0) {
            throw new MalformedMessageException("TransactionLogValue v" + written + " has " + in.remaining() + " bytes after its fields");
        }
        return new TransactionLogValue(producerId, previousProducerId, nextProducerId, epoch, nextEpoch, timeoutMs, state,
            partitions, lastUpdateMs, startMs, clientVersion);
    }

    private static void skipTaggedFields(WireReader in) {
        int count = in.readTaggedFieldCount();
        for (int i = 0; i < count; i++) {
            in.readTaggedField();
        }
    }
}
