package io.tributary.groups;

/** A member saying it is alive in a generation (Kafka's Heartbeat, decoded). */
public record Heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
}
