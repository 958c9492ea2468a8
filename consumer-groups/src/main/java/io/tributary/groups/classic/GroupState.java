package io.tributary.groups.classic;

import java.util.EnumSet;
import java.util.Set;

/**
 * States of a classic group, as Kafka names them (the names are on the wire in DescribeGroups and
 * ListGroups), each with the states it may be entered from:
 * <pre>
 * Empty ---join---> PreparingRebalance ---all joined / timeout---> CompletingRebalance ---leader's sync---> Stable
 *   ^                   ^    |  (no member left)                         |                                  |
 *   |                   |    +---> Empty                                 +--- join, leave, expiry ----------+
 *   +-------------------+---------------------------------------------------------------------------> PreparingRebalance
 * any state ---> Dead (deleted, expired or unloaded)
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;
    private Set<GroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.allOf(GroupState.class);
    }

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name Kafka uses on the wire and in its tools: "Empty", "PreparingRebalance", ... */
    public String wireName() {
        return wireName;
    }

    boolean canFollow(GroupState previous) {
        return validPrevious.contains(previous);
    }

    /** The state with this wire name, case-insensitively, or null. */
    public static GroupState forWireName(String name) {
        for (GroupState s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
