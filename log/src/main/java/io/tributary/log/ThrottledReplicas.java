package io.tributary.log;

import io.tributary.config.ConfigKey;
import io.tributary.config.Validator;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The syntax of Kafka's throttled-replica lists ({@code leader.replication.throttled.replicas},
 * {@code follower.replication.throttled.replicas}): either the wildcard {@code *} alone (every replica of the topic) or
 * comma-separated {@code partitionId:brokerId} pairs of non-negative whole numbers, whitespace around entries ignored;
 * an empty list throttles nothing. The same values Kafka's {@code ThrottledReplicaListValidator} accepts.
 */
final class ThrottledReplicas {
    static final String WILDCARD = "*";
    private static final Pattern REPLICA = Pattern.compile("[0-9]+:[0-9]+");

    /** One entry: a {@code partition:broker} pair or the wildcard. */
    static final ConfigKey.ListSyntax SYNTAX = ConfigKey.ListSyntax.of("[PartitionId]:[BrokerId] pairs, or the wildcard *")
        .checkedBy(entry -> {
            if (!entry.equals(WILDCARD) && !REPLICA.matcher(entry).matches()) {
                throw new IllegalArgumentException(entry);
            }
            return entry;
        });

    /** The wildcard stands alone. */
    static final Validator<List<String>> VALIDATOR = Validator.of(
        replicas -> !replicas.contains(WILDCARD) || replicas.size() == 1,
        "must be the literal '*' or a list of replicas in the form [PartitionId]:[BrokerId],[PartitionId]:[BrokerId],...");

    private ThrottledReplicas() {
    }
}
