package io.tributary.metadata.quorum;

import io.tributary.metadata.controller.IsrChange;
import io.tributary.metadata.record.MalformedRecordException;
import io.tributary.metadata.record.MetadataRecord.Endpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a broker asks of the controller (Kafka's BrokerRegistration, BrokerHeartbeat, CreateTopics, CreatePartitions,
 * DeleteTopics, AllocateProducerIds, AlterPartition, ElectLeaders,
 * AlterPartitionReassignments). A broker that is not the controller sends these to
 * the Ratis leader as read-only Ratis messages ({@link ControllerClient}); they are never written to the log: the
 * controller turns each into records. The binary form, big-endian:
 *
 * <pre>
 * request := version:int8 (0) kind:int8 body
 * REGISTER        brokerId:int32 endpointCount:int32 (listener host port:int32 protocol)* rack
 * HEARTBEAT       brokerId:int32 brokerEpoch:int64 wantFence:int8 wantShutdown:int8
 * CREATE_TOPIC    name topicId:uuid|absent partitions:int32 replicationFactor:int16 configCount:int32 (key value)*
 *                 assignmentCount:int32 ints* validateOnly:int8
 * GROW_TOPIC      name partitions:int32
 * DELETE_TOPIC    name
 * PRODUCER_IDS    brokerId:int32 brokerEpoch:int64 atLeast:int64
 * ALTER_PARTITION brokerId:int32 brokerEpoch:int64 topicId:uuid partition:int32 leaderEpoch:int32
 *                 partitionEpoch:int32 isr:ints
 * ELECT_PREFERRED name partition:int32
 * ELECT_UNCLEAN   name partition:int32
 * REASSIGN        name partition:int32 target:ints|null (count -1) allowReplicationFactorChange:int8
 * strings: int16 length (-1 null) + UTF-8; uuid|absent: int8 presence + 16 bytes; ints: int32 count + int32*
 * </pre>
 * The version byte lets a rolling upgrade refuse what it cannot read instead of misreading it.
 */
public sealed interface ControllerRequest {
    int VERSION = 0;

    record Register(int brokerId, List<Endpoint> endpoints, String rack) implements ControllerRequest {
        public Register {
            endpoints = List.copyOf(endpoints);
        }
    }

    record Heartbeat(int brokerId, long brokerEpoch, boolean wantFence, boolean wantShutdown)
        implements ControllerRequest {
    }

    /**
     * @param topicId    null: the controller picks a random one (a given one keeps a pre-cluster topic's id)
     * @param assignment replicas by partition, or empty to let the controller place them
     */
    record CreateTopic(String name, UUID topicId, int partitions, short replicationFactor,
                       Map<String, String> configs, List<List<Integer>> assignment, boolean validateOnly)
        implements ControllerRequest {
        public CreateTopic {
            configs = Map.copyOf(configs);
            assignment = assignment.stream().map(List::copyOf).toList();
        }
    }

    record GrowTopic(String name, int partitions) implements ControllerRequest {
    }

    record DeleteTopic(String name) implements ControllerRequest {
    }

    /**
     * The next block of producer ids for a broker.
     *
     * @param atLeast the block starts at or above this id (a pre-cluster broker's highest reserved id, so an upgrade never
     *                hands out an id its local allocator already did); 0 when there is nothing to respect
     */
    record ProducerIds(int brokerId, long brokerEpoch, long atLeast) implements ControllerRequest {
        public ProducerIds(int brokerId, long brokerEpoch) {
            this(brokerId, brokerEpoch, 0);
        }
    }

    record AlterPartition(IsrChange.Request request) implements ControllerRequest {
    }

    record ElectPreferred(String name, int partition) implements ControllerRequest {
    }

    /** ElectLeaders with UNCLEAN: a leader for a partition that has none, from outside the ISR if need be. */
    record ElectUnclean(String name, int partition) implements ControllerRequest {
    }

    /** One partition of AlterPartitionReassignments; {@code target} null cancels the running reassignment. */
    record Reassign(String name, int partition, List<Integer> target, boolean allowReplicationFactorChange)
        implements ControllerRequest {
        public Reassign {
            target = target == null ? null : List.copyOf(target);
        }
    }

    static byte[] encode(ControllerRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            if (request instanceof Register r) {
                out.writeByte(1);
                out.writeInt(r.brokerId());
                out.writeInt(r.endpoints().size());
                for (Endpoint e : r.endpoints()) {
                    writeString(out, e.listener());
                    writeString(out, e.host());
                    out.writeInt(e.port());
                    writeString(out, e.securityProtocol());
                }
                writeString(out, r.rack());
            } else if (request instanceof Heartbeat r) {
                out.writeByte(2);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeBoolean(r.wantFence());
                out.writeBoolean(r.wantShutdown());
            } else if (request instanceof CreateTopic r) {
                out.writeByte(3);
                writeString(out, r.name());
                out.writeBoolean(r.topicId() != null);
                if (r.topicId() != null) {
                    out.writeLong(r.topicId().getMostSignificantBits());
                    out.writeLong(r.topicId().getLeastSignificantBits());
                }
                out.writeInt(r.partitions());
                out.writeShort(r.replicationFactor());
                out.writeInt(r.configs().size());
                for (Map.Entry<String, String> c : new TreeMap<>(r.configs()).entrySet()) {
                    writeString(out, c.getKey());
                    writeString(out, c.getValue());
                }
                out.writeInt(r.assignment().size());
                for (List<Integer> replicas : r.assignment()) {
                    writeInts(out, replicas);
                }
                out.writeBoolean(r.validateOnly());
            } else if (request instanceof GrowTopic r) {
                out.writeByte(4);
                writeString(out, r.name());
                out.writeInt(r.partitions());
            } else if (request instanceof DeleteTopic r) {
                out.writeByte(5);
                writeString(out, r.name());
            } else if (request instanceof ProducerIds r) {
                out.writeByte(6);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeLong(r.atLeast());
            } else if (request instanceof AlterPartition a) {
                IsrChange.Request r = a.request();
                out.writeByte(7);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeLong(r.topicId().getMostSignificantBits());
                out.writeLong(r.topicId().getLeastSignificantBits());
                out.writeInt(r.partition());
                out.writeInt(r.leaderEpoch());
                out.writeInt(r.partitionEpoch());
                writeInts(out, r.newIsr());
            } else if (request instanceof ElectPreferred r) {
                out.writeByte(8);
                writeString(out, r.name());
                out.writeInt(r.partition());
            } else if (request instanceof ElectUnclean r) {
                out.writeByte(9);
                writeString(out, r.name());
                out.writeInt(r.partition());
            } else if (request instanceof Reassign r) {
                out.writeByte(10);
                writeString(out, r.name());
                out.writeInt(r.partition());
                if (r.target() == null) {
                    out.writeInt(-1);
                } else {
                    writeInts(out, r.target());
                }
                out.writeBoolean(r.allowReplicationFactorChange());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws MalformedRecordException for bytes that are not a request of a version this code reads */
    static ControllerRequest decode(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        try {
            int version = in.get();
            if (version != VERSION) {
                throw new MalformedRecordException("Controller request version " + version + " is not " + VERSION, 0);
            }
            int kind = in.get();
            return switch (kind) {
                case 1 -> {
                    int brokerId = in.getInt();
                    int count = in.getInt();
                    List<Endpoint> endpoints = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        endpoints.add(new Endpoint(readString(in), readString(in), in.getInt(), readString(in)));
                    }
                    yield new Register(brokerId, endpoints, readString(in));
                }
                case 2 -> new Heartbeat(in.getInt(), in.getLong(), in.get() == 1, in.get() == 1);
                case 3 -> {
                    String name = readString(in);
                    UUID topicId = in.get() == 1 ? new UUID(in.getLong(), in.getLong()) : null;
                    int partitions = in.getInt();
                    short rf = in.getShort();
                    int configCount = in.getInt();
                    Map<String, String> configs = new TreeMap<>();
                    for (int i = 0; i < configCount; i++) {
                        configs.put(readString(in), readString(in));
                    }
                    int assigned = in.getInt();
                    List<List<Integer>> assignment = new ArrayList<>();
                    for (int i = 0; i < assigned; i++) {
                        assignment.add(readInts(in));
                    }
                    yield new CreateTopic(name, topicId, partitions, rf, configs, assignment, in.get() == 1);
                }
                case 4 -> new GrowTopic(readString(in), in.getInt());
                case 5 -> new DeleteTopic(readString(in));
                case 6 -> new ProducerIds(in.getInt(), in.getLong(), in.getLong());
                case 7 -> new AlterPartition(new IsrChange.Request(in.getInt(), in.getLong(),
                    new UUID(in.getLong(), in.getLong()), in.getInt(), in.getInt(), in.getInt(), readInts(in)));
                case 8 -> new ElectPreferred(readString(in), in.getInt());
                case 9 -> new ElectUnclean(readString(in), in.getInt());
                case 10 -> {
                    String name = readString(in);
                    int partition = in.getInt();
                    List<Integer> target = in.getInt(in.position()) < 0 ? null : readInts(in);
                    if (target == null) {
                        in.getInt();
                    }
                    yield new Reassign(name, partition, target, in.get() == 1);
                }
                default -> throw new MalformedRecordException("Unknown controller request kind " + kind, 1);
            };
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException("Malformed controller request: " + e, in.position());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getShort();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static List<Integer> readInts(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 4) {
            throw new IllegalArgumentException("count " + count);
        }
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.getInt());
        }
        return values;
    }
}
