package io.tributary.groups;

/** The answer to a SyncGroup: the member's assignment, or why there is none (then it is empty). */
public record SyncOutcome(GroupError error, String protocolType, String protocolName, byte[] assignment) {
    private static final byte[] NO_ASSIGNMENT = new byte[0];

    public static SyncOutcome error(GroupError error) {
        return new SyncOutcome(error, null, null, NO_ASSIGNMENT);
    }
}
