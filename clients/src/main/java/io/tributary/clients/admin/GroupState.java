package io.tributary.clients.admin;

/** The states of a classic group, with the names the wire uses (DescribeGroups, ListGroups). */
public enum GroupState {
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead"),
    EMPTY("Empty"),
    /** A state this client does not know (from a newer broker, or a group of another type). */
    UNKNOWN("Unknown");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The state for a wire name, case-insensitively; UNKNOWN for anything else. */
    public static GroupState forWireName(String name) {
        for (GroupState s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
