package io.tributary.groups;

import java.util.Map;

/**
 * A member asking for its assignment (Kafka's SyncGroup, decoded); the leader brings everybody's.
 *
 * @param protocolType null when the client did not say (then it is not checked)
 * @param protocolName null when the client did not say (then it is not checked)
 * @param assignments  member id to assignment bytes (copies the coordinator keeps); read only from the leader
 */
public record SyncGroup(String groupId, String memberId, String groupInstanceId, int generationId, String protocolType,
                        String protocolName, Map<String, byte[]> assignments) {
    public SyncGroup {
        assignments = Map.copyOf(assignments);
    }
}
