package io.tributary.metadata.controller;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;
import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * CreateTopics on the controller: the topic, its configs and its partitions with their replicas placed on the live
 * (registered, unfenced) brokers.
 *
 * <p>Placement: the live brokers are put in one list, rack by rack in turns when racks are set (rack a's first broker,
 * rack b's first, rack c's first, rack a's second, ...; brokers without a rack form one more rack, named ""), by id
 * otherwise. Partition p's replica j is the list's entry (start + p + j) mod n. Consecutive entries sit on different
 * racks while every rack still has brokers left, so a replication factor up to the rack count puts each replica of a
 * partition on a different rack; leaders (j = 0) go round the list. {@code start} is the number of partitions the
 * cluster already has, so topics created one after another do not all start on the same broker.
 */
public final class ReplicaPlacement {
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    /** Kafka's limit: a partition directory name (topic-partition) must fit in 255 bytes. */
    public static final int MAX_NAME_LENGTH = 249;

    private ReplicaPlacement() {
    }

    /** A topic to create; {@code topicId} is chosen by the caller (a random UUID) so that this stays pure. */
    public record CreateTopic(String name, UUID topicId, int partitions, int replicationFactor,
                              Map<String, String> configs) {
        public CreateTopic {
            configs = Map.copyOf(configs);
        }
    }

    /** @return the placed replicas, by partition */
    public static ControllerResult<List<List<Integer>>> createTopic(MetadataImage image, CreateTopic request) {
        String name = request.name();
        ErrorCode nameProblem = nameProblem(image, request);
        if (nameProblem != null) {
            return ControllerResult.refused(nameProblem);
        }
        if (request.partitions() < 1) {
            return ControllerResult.refused(ErrorCode.INVALID_PARTITIONS);
        }
        List<Integer> brokers = rackAlternated(image);
        if (request.replicationFactor() < 1 || request.replicationFactor() > brokers.size()) {
            return ControllerResult.refused(ErrorCode.INVALID_REPLICATION_FACTOR);
        }
        int start = 0;
        for (TopicImage t : image.topics()) {
            start += t.partitions().size();
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new Topic(request.topicId(), name));
        new TreeMap<>(request.configs()).forEach((k, v) -> records.add(new TopicConfig(request.topicId(), k, v)));
        List<List<Integer>> assignment = new ArrayList<>();
        int n = brokers.size();
        for (int p = 0; p < request.partitions(); p++) {
            List<Integer> replicas = new ArrayList<>(request.replicationFactor());
            for (int j = 0; j < request.replicationFactor(); j++) {
                replicas.add(brokers.get(Math.floorMod(start + p + j, n)));
            }
            assignment.add(List.copyOf(replicas));
            records.add(new Partition(request.topicId(), p, replicas, replicas, replicas.get(0), 0, 0));
        }
        return ControllerResult.of(records, assignment);
    }

    /**
     * CreateTopics with a manual assignment (replicas by partition, as kafka-topics --replica-assignment gives them):
     * every replica a registered broker, none twice in a partition, all partitions the same size
     * (INVALID_REPLICA_ASSIGNMENT otherwise). Each partition's leader is its first unfenced replica (none when all
     * are fenced); the ISR is every replica.
     */
    public static ControllerResult<List<List<Integer>>> createTopic(MetadataImage image, CreateTopic request,
                                                                    List<List<Integer>> assignment) {
        ErrorCode nameProblem = nameProblem(image, request);
        if (nameProblem != null) {
            return ControllerResult.refused(nameProblem);
        }
        if (assignment.isEmpty()) {
            return ControllerResult.refused(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        }
        int size = assignment.get(0).size();
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new Topic(request.topicId(), request.name()));
        new TreeMap<>(request.configs()).forEach((k, v) -> records.add(new TopicConfig(request.topicId(), k, v)));
        for (int p = 0; p < assignment.size(); p++) {
            List<Integer> replicas = assignment.get(p);
            if (replicas.size() != size || replicas.isEmpty() || replicas.stream().distinct().count() != size
                || !replicas.stream().allMatch(r -> image.broker(r) != null)) {
                return ControllerResult.refused(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
            }
            int leader = replicas.stream().filter(image::isUnfenced).findFirst().orElse(MetadataRecord.NO_LEADER);
            records.add(new Partition(request.topicId(), p, replicas, replicas, leader, 0, 0));
        }
        return ControllerResult.of(records, assignment);
    }

    /** The name checks of both createTopic variants: the refusal's code, or null when they pass. */
    private static ErrorCode nameProblem(MetadataImage image, CreateTopic request) {
        String name = request.name();
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > MAX_NAME_LENGTH
            || !LEGAL_NAME.matcher(name).matches()) {
            return ErrorCode.INVALID_TOPIC_EXCEPTION;
        }
        if (image.topic(name) != null || image.topic(request.topicId()) != null) {
            return ErrorCode.TOPIC_ALREADY_EXISTS;
        }
        return null;
    }

    /**
     * CreatePartitions: {@code name} grows to {@code newCount} partitions, each new one with as many replicas as
     * partition 0 has, placed like {@link #createTopic(MetadataImage, CreateTopic)} places them
     * (UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS for a count not above the current one,
     * INVALID_REPLICATION_FACTOR when fewer brokers are live than a partition has replicas).
     */
    public static ControllerResult<Void> addPartitions(MetadataImage image, String name, int newCount) {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            return ControllerResult.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        int current = topic.partitions().size();
        if (newCount <= current) {
            return ControllerResult.refused(ErrorCode.INVALID_PARTITIONS);
        }
        int replicationFactor = topic.partitions().get(0).replicas().size();
        List<Integer> brokers = rackAlternated(image);
        if (replicationFactor > brokers.size()) {
            return ControllerResult.refused(ErrorCode.INVALID_REPLICATION_FACTOR);
        }
        int start = 0;
        for (TopicImage t : image.topics()) {
            start += t.partitions().size();
        }
        List<MetadataRecord> records = new ArrayList<>();
        int n = brokers.size();
        for (int p = current; p < newCount; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int j = 0; j < replicationFactor; j++) {
                replicas.add(brokers.get(Math.floorMod(start + p + j, n)));
            }
            records.add(new Partition(topic.topicId(), p, replicas, replicas, replicas.get(0), 0, 0));
        }
        return ControllerResult.of(records, null);
    }

    /** The live brokers, rack by rack in turns (racks by name, brokers by id within a rack). */
    static List<Integer> rackAlternated(MetadataImage image) {
        Map<String, List<Integer>> byRack = new TreeMap<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                byRack.computeIfAbsent(b.rack() == null ? "" : b.rack(), r -> new ArrayList<>()).add(b.brokerId());
            }
        }
        List<Integer> ordered = new ArrayList<>();
        for (int round = 0; ; round++) {
            boolean any = false;
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    ordered.add(rack.get(round));
                    any = true;
                }
            }
            if (!any) {
                return ordered;
            }
        }
    }
}
