package io.tributary.groups;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A fixed set of topics for coordinator tests, without creating their logs. */
public final class TestTopics implements TopicResolver {
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private final Map<String, UUID> ids = new ConcurrentHashMap<>();
    private final Map<UUID, String> names = new ConcurrentHashMap<>();

    public TestTopics add(String topic, int partitionCount) {
        UUID id = UUID.nameUUIDFromBytes(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        partitions.put(topic, partitionCount);
        ids.put(topic, id);
        names.put(id, topic);
        return this;
    }

    /** Topics "t" and "u" with 16 partitions each, and "orders" with 300. */
    public static TestTopics standard() {
        return new TestTopics().add("t", 16).add("u", 16).add("orders", 300);
    }

    @Override
    public UUID topicId(String topic) {
        return ids.get(topic);
    }

    @Override
    public String topicName(UUID topicId) {
        return names.get(topicId);
    }

    @Override
    public boolean exists(String topic, int partition) {
        Integer count = partitions.get(topic);
        return count != null && partition >= 0 && partition < count;
    }
}
