package io.tributary.groups;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer to an OffsetCommit: one result per partition, by topic, in the order of the request (NONE for
 * a partition whose commit is in {@code __consumer_offsets}).
 */
public record CommitOutcome(List<List<GroupError>> partitionErrors) {
    public CommitOutcome {
        partitionErrors = List.copyOf(partitionErrors.stream().map(List::copyOf).toList());
    }

    /** The same error for every partition of the request. */
    public static CommitOutcome refused(OffsetCommit request, GroupError error) {
        List<List<GroupError>> errors = new ArrayList<>(request.topics().size());
        for (OffsetCommit.Topic topic : request.topics()) {
            errors.add(Collections.nCopies(topic.partitions().size(), error));
        }
        return new CommitOutcome(errors);
    }
}
