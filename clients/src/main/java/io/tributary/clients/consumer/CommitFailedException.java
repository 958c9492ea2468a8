package io.tributary.clients.consumer;

import io.tributary.clients.errors.TributaryException;

/**
 * A commit the group refused because this consumer is no longer the member that owns the partitions: the
 * group rebalanced (often because {@code max.poll.interval.ms} passed between polls) and gave them to another
 * member. Retrying cannot help; the records since the last commit will be consumed again by the new owner.
 */
public class CommitFailedException extends TributaryException {
    public CommitFailedException(String message) {
        super(message);
    }
}
