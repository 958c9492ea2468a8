package io.tributary.server.metadata;

import io.tributary.server.api.RequestContext;

/**
 * What DescribeTopicPartitions needs to know of the caller's rights, asked before it pages: whether the caller may
 * DESCRIBE a topic (a topic it may not is left out of an all-topics answer and answered TOPIC_AUTHORIZATION_FAILED when
 * named, so pages count only what the caller sees), and the topic's authorized-operations bit set. The ACLs themselves
 * are the authorizer's ({@code security.authz}); this is the one question the handler asks.
 */
public interface TopicDescribeAccess {
    /**
     * Bit set of the AclOperation codes Kafka allows on a TOPIC: READ (3), WRITE (4), CREATE (5), DELETE (6), ALTER (7),
     * DESCRIBE (8), DESCRIBE_CONFIGS (10), ALTER_CONFIGS (11); what Kafka answers without an authorizer.
     */
    int ALL_TOPIC_OPERATIONS = 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 10 | 1 << 11;

    /** No authorizer: everyone describes every topic and may do everything with it. */
    TopicDescribeAccess EVERYONE = new TopicDescribeAccess() {
        @Override
        public boolean mayDescribe(RequestContext context, String topic) {
            return true;
        }

        @Override
        public int authorizedOperations(RequestContext context, String topic) {
            return ALL_TOPIC_OPERATIONS;
        }
    };

    boolean mayDescribe(RequestContext context, String topic);

    /** Kafka's authorized-operations bit set of {@code topic} for the caller (bit {@code code} per operation). */
    int authorizedOperations(RequestContext context, String topic);
}
