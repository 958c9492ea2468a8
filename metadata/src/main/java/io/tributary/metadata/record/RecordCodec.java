package io.tributary.metadata.record;

import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.ClusterId;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.metadata.record.MetadataRecord.RemoveTopic;
import io.tributary.metadata.record.MetadataRecord.RoutingFence;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The binary form of a batch of metadata records: one Ratis log entry holds one batch, applied all or nothing.
 * Big-endian throughout:
 *
 * <pre>
 * batch  := batchVersion:int8 (0) count:int32 record*count
 * record := type:int8 version:int8 bodyLength:int32 body
 * string := length:int16 (-1 for null) utf8-bytes
 * uuid   := mostSignificant:int64 leastSignificant:int64
 * ints   := count:int32 int32*count        longs := count:int32 int64*count
 *
 * REGISTER_BROKER   v0: brokerId:int32 brokerEpoch:int64 endpointCount:int32
 *                       (listener:string host:string port:int32 securityProtocol:string)* rack:string fenced:int8
 * BROKER_FENCING    v0: brokerId:int32 brokerEpoch:int64 fenced:int8
 * TOPIC             v0: topicId:uuid name:string
 * TOPIC_CONFIG      v0: topicId:uuid key:string value:string (null: removed)
 * PARTITION         v0: topicId:uuid partition:int32 replicas:ints isr:ints leader:int32 leaderEpoch:int32
 *                       partitionEpoch:int32
 * PARTITION_CHANGE  v0: as PARTITION
 * PARTITION, PARTITION_CHANGE v1: v0 addingReplicas:ints removingReplicas:ints (v0: both empty)
 * PRODUCER_ID_BLOCK v0: brokerId:int32 brokerEpoch:int64 nextProducerId:int64
 * ROUTING_FENCE     v0: topicId:uuid before:int32 after:int32 fences:longs
 * REMOVE_TOPIC      v0: topicId:uuid
 * CLUSTER_ID        v0: clusterId:string (not null)
 * </pre>
 *
 * <p>A body must be read to its exact length: a longer body means a newer writer added fields under the same
 * version, which is a bug, and is refused like an unknown version ({@link UnknownRecordException}). Decoding never
 * trusts a count beyond the bytes that remain.
 */
public final class RecordCodec {
    /** The batch header's version byte. */
    public static final int BATCH_VERSION = 0;

    private RecordCodec() {
    }

    /** The encoding of {@code records} as one batch. */
    public static byte[] encodeBatch(List<? extends MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * records.size());
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(BATCH_VERSION);
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                writeRecord(out, record);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The records of one batch, in order.
     *
     * @throws UnknownRecordException   for a record type or version this code does not know
     * @throws MalformedRecordException for bytes that are not a batch
     */
    public static List<MetadataRecord> decodeBatch(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        try {
            int batchVersion = in.get();
            if (batchVersion != BATCH_VERSION) {
                throw UnknownRecordException.ofContainer("metadata batch", batchVersion, 0);
            }
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 6) {
                throw new MalformedRecordException("Record count " + count + " does not fit the " + in.remaining()
                    + " bytes left", in.position());
            }
            List<MetadataRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(readRecord(in));
            }
            if (in.hasRemaining()) {
                throw new MalformedRecordException(in.remaining() + " bytes after the last of " + count + " records",
                    in.position());
            }
            return records;
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("Batch truncated", in.position());
        }
    }

    /** Convenience for tests and snapshots: {@link #decodeBatch(ByteBuffer)} over a whole array. */
    public static List<MetadataRecord> decodeBatch(byte[] bytes) {
        return decodeBatch(ByteBuffer.wrap(bytes));
    }

    static void writeRecord(DataOutputStream out, MetadataRecord record) throws IOException {
        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(64);
        DataOutputStream body = new DataOutputStream(bodyBytes);
        if (record instanceof RegisterBroker r) {
            body.writeInt(r.brokerId());
            body.writeLong(r.brokerEpoch());
            body.writeInt(r.endpoints().size());
            for (Endpoint e : r.endpoints()) {
                writeString(body, e.listener());
                writeString(body, e.host());
                body.writeInt(e.port());
                writeString(body, e.securityProtocol());
            }
            writeString(body, r.rack());
            body.writeBoolean(r.fenced());
        } else if (record instanceof BrokerFencing r) {
            body.writeInt(r.brokerId());
            body.writeLong(r.brokerEpoch());
            body.writeBoolean(r.fenced());
        } else if (record instanceof Topic r) {
            writeUuid(body, r.topicId());
            writeString(body, r.name());
        } else if (record instanceof TopicConfig r) {
            writeUuid(body, r.topicId());
            writeString(body, r.key());
            writeString(body, r.value());
        } else if (record instanceof Partition r) {
            writePartition(body, r.topicId(), r.partition(), r.replicas(), r.isr(), r.leader(), r.leaderEpoch(),
                r.partitionEpoch());
            writeInts(body, r.addingReplicas());
            writeInts(body, r.removingReplicas());
        } else if (record instanceof PartitionChange r) {
            writePartition(body, r.topicId(), r.partition(), r.replicas(), r.isr(), r.leader(), r.leaderEpoch(),
                r.partitionEpoch());
            writeInts(body, r.addingReplicas());
            writeInts(body, r.removingReplicas());
        } else if (record instanceof ProducerIdBlock r) {
            body.writeInt(r.brokerId());
            body.writeLong(r.brokerEpoch());
            body.writeLong(r.nextProducerId());
        } else if (record instanceof RoutingFence r) {
            writeUuid(body, r.topicId());
            body.writeInt(r.before());
            body.writeInt(r.after());
            body.writeInt(r.fences().size());
            for (long fence : r.fences()) {
                body.writeLong(fence);
            }
        } else if (record instanceof RemoveTopic r) {
            writeUuid(body, r.topicId());
        } else if (record instanceof ClusterId r) {
            writeString(body, r.clusterId());
        } else {
            throw new IllegalArgumentException("No encoding for " + record.getClass());
        }
        body.flush();
        out.writeByte(record.type().code());
        out.writeByte(record.type().version());
        out.writeInt(bodyBytes.size());
        bodyBytes.writeTo(out);
    }

    static MetadataRecord readRecord(ByteBuffer in) {
        int start = in.position();
        int code = in.get();
        int version = in.get();
        RecordType type = RecordType.forCode(code);
        if (type == null || version < 0 || version > type.version()) {
            throw new UnknownRecordException(code, version, start);
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new MalformedRecordException("Body length " + length + " of a " + type + " record exceeds the "
                + in.remaining() + " bytes left", start);
        }
        ByteBuffer body = in.slice(in.position(), length);
        in.position(in.position() + length);
        MetadataRecord record = switch (type) {
            case REGISTER_BROKER -> {
                int brokerId = body.getInt();
                long brokerEpoch = body.getLong();
                int count = count(body, 10);
                List<Endpoint> endpoints = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String listener = readString(body);
                    String host = readString(body);
                    int port = body.getInt();
                    String protocol = readString(body);
                    if (listener == null || host == null || protocol == null) {
                        throw new MalformedRecordException("Null field in an endpoint of broker " + brokerId, start);
                    }
                    try {
                        endpoints.add(new Endpoint(listener, host, port, protocol));
                    } catch (IllegalArgumentException e) {
                        throw new MalformedRecordException(e.getMessage(), start);
                    }
                }
                String rack = readString(body);
                boolean fenced = readBoolean(body, start);
                yield new RegisterBroker(brokerId, brokerEpoch, endpoints, rack, fenced);
            }
            case BROKER_FENCING -> new BrokerFencing(body.getInt(), body.getLong(), readBoolean(body, start));
            case TOPIC -> new Topic(readUuid(body), requireString(body, start, "topic name"));
            case TOPIC_CONFIG -> new TopicConfig(readUuid(body), requireString(body, start, "config key"),
                readString(body));
            case PARTITION -> {
                UUID topicId = readUuid(body);
                yield new Partition(topicId, body.getInt(), readInts(body), readInts(body), body.getInt(),
                    body.getInt(), body.getInt(), version >= 1 ? readInts(body) : List.of(),
                    version >= 1 ? readInts(body) : List.of());
            }
            case PARTITION_CHANGE -> {
                UUID topicId = readUuid(body);
                yield new PartitionChange(topicId, body.getInt(), readInts(body), readInts(body), body.getInt(),
                    body.getInt(), body.getInt(), version >= 1 ? readInts(body) : List.of(),
                    version >= 1 ? readInts(body) : List.of());
            }
            case PRODUCER_ID_BLOCK -> new ProducerIdBlock(body.getInt(), body.getLong(), body.getLong());
            case ROUTING_FENCE -> {
                UUID topicId = readUuid(body);
                int before = body.getInt();
                int after = body.getInt();
                int count = count(body, 8);
                List<Long> fences = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    fences.add(body.getLong());
                }
                yield new RoutingFence(topicId, before, after, fences);
            }
            case REMOVE_TOPIC -> new RemoveTopic(readUuid(body));
            case CLUSTER_ID -> new ClusterId(requireString(body, start, "cluster id"));
        };
        if (body.hasRemaining()) {
            throw new MalformedRecordException(body.remaining() + " unread bytes in a " + type + " v" + version
                + " record body", start);
        }
        return record;
    }

    private static void writePartition(DataOutputStream out, UUID topicId, int partition, List<Integer> replicas,
                                       List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch)
        throws IOException {
        writeUuid(out, topicId);
        out.writeInt(partition);
        writeInts(out, replicas);
        writeInts(out, isr);
        out.writeInt(leader);
        out.writeInt(leaderEpoch);
        out.writeInt(partitionEpoch);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("String of " + utf8.length + " bytes exceeds " + Short.MAX_VALUE);
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getShort();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new MalformedRecordException("String length " + length + " with " + in.remaining() + " bytes left",
                in.position());
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String requireString(ByteBuffer in, int start, String what) {
        String s = readString(in);
        if (s == null) {
            throw new MalformedRecordException("Null " + what, start);
        }
        return s;
    }

    private static boolean readBoolean(ByteBuffer in, int start) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new MalformedRecordException("Boolean byte " + b, start);
        }
        return b == 1;
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(ByteBuffer in) {
        return new UUID(in.getLong(), in.getLong());
    }

    private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static List<Integer> readInts(ByteBuffer in) {
        int count = count(in, 4);
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.getInt());
        }
        return values;
    }

    /** A count of entries of at least {@code minEntryBytes} each, refused when the bytes left cannot hold them. */
    private static int count(ByteBuffer in, int minEntryBytes) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / minEntryBytes) {
            throw new MalformedRecordException("Count " + count + " does not fit the " + in.remaining()
                + " bytes left", in.position());
        }
        return count;
    }
}
