package io.tributary.groups;

import java.util.List;

/**
 * The answer to a LeaveGroup: a group-level refusal ({@code error} not NONE, no member results), or one
 * result per leaving member in the order asked.
 */
public record LeaveOutcome(GroupError error, List<GroupError> memberErrors) {
    public LeaveOutcome {
        memberErrors = List.copyOf(memberErrors);
    }

    public static LeaveOutcome refused(GroupError error) {
        return new LeaveOutcome(error, List.of());
    }
}
