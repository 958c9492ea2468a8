package io.tributary.server.metadata;

import io.tributary.groups.GroupCoordinator;

import java.util.Set;

/**
 * The topics the broker writes itself, as Kafka 4.3 names them ({@code Topic.INTERNAL_TOPICS}): clients may
 * read them (Fetch, ListOffsets) but not produce to them, and Metadata reports them with {@code is_internal}
 * so that clients leave them out of listings and pattern subscriptions. Only {@code __consumer_offsets}
 * exists here so far; the others are reserved so that no client can create and fill them before the broker
 * does. A user topic that merely starts with "__" is an ordinary topic, as in Kafka.
 */
public final class InternalTopics {
    private static final Set<String> NAMES = Set.of(GroupCoordinator.OFFSETS_TOPIC, "__transaction_state", "__share_group_state");

    private InternalTopics() {
    }

    public static boolean isInternal(String topic) {
        return NAMES.contains(topic);
    }
}
