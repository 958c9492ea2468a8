package io.tributary.groups;

import java.util.List;

/**
 * The answer to an OffsetDelete: a group-level refusal ({@code error} not NONE, no partition results), or one
 * result per partition, by topic, in the order of the request.
 */
public record OffsetDeleteOutcome(GroupError error, List<List<GroupError>> partitionErrors) {
    public OffsetDeleteOutcome {
        partitionErrors = List.copyOf(partitionErrors.stream().map(List::copyOf).toList());
    }

    public static OffsetDeleteOutcome refused(GroupError error) {
        return new OffsetDeleteOutcome(error, List.of());
    }
}
