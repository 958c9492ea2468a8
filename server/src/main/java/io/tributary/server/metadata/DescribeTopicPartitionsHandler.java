package io.tributary.server.metadata;

import io.tributary.log.LogManager;
import io.tributary.log.TopicException;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsRequest;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsRequest.TopicRequest;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsResponse;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTopicPartitions (API 75, KIP-966): the partitions of the named topics, or of every topic the caller may
 * DESCRIBE for an empty list, in pages, as Kafka 4.3's broker answers it (its DescribeTopicPartitionsRequestHandler and
 * KRaftMetadataCache.describeTopicResponse):
 * <ul>
 * <li>topics are taken in name order from the cursor's topic on (names before it are skipped); a named list must
 *     contain the cursor's topic, and the cursor's partition must not be negative, else the whole request is answered
 *     INVALID_REQUEST (each named topic with that error, nothing else);</li>
 * <li>a page holds at most min(response_partition_limit, max.request.partition.size.limit) partitions, at least 1; the
 *     cursor's topic starts at the cursor's partition, every other at 0. When a topic's partitions do not all fit,
 *     {@code next_cursor} names the first one left out; when the page is full before a topic, it names that topic at
 *     partition 0; otherwise it is null;</li>
 * <li>a named topic that does not exist is UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION for an illegal name),
 *     with the zero topic id, costing no room on the page; a named topic the caller may not DESCRIBE is
 *     TOPIC_AUTHORIZATION_FAILED with the zero id, after the others; in an all-topics request such topics are left
 *     out unseen;</li>
 * <li>every partition is error NONE with its leader (-1 for none), leader epoch, replicas, ISR and offline replicas
 *     from {@link TopicStates}, shared with Metadata; eligible_leader_replicas and last_known_elr are empty, as Kafka
 *     sends them with ELR disabled (this broker has no ELR); every topic answered from the cluster view carries its
 *     authorized operations (the request has no flag for them; Kafka always sends them).</li>
 * </ul>
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {
    private static final UUID ZERO_UUID = new UUID(0, 0);
    private static final int[] NO_NODES = new int[0];

    private final TopicStates states;
    private final int partitionLimit;
    private final TopicDescribeAccess access;

    /**
     * @param partitionLimit the broker's max.request.partition.size.limit: the most partitions of one answer
     * @param access         whether the caller may describe a topic, and its authorized operations
     */
    public DescribeTopicPartitionsHandler(TopicStates states, int partitionLimit, TopicDescribeAccess access) {
        this.states = states;
        this.partitionLimit = partitionLimit;
        this.access = access;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.completedFuture(ApiResponse.of(answer(context, request)));
    }

    private Struct answer(RequestContext context, Struct request) {
        List<Struct> requested = request.get(DescribeTopicPartitionsRequest.TOPICS);
        boolean all = requested.isEmpty();
        Struct cursor = request.get(DescribeTopicPartitionsRequest.CURSOR);
        String cursorTopic = cursor == null ? "" : cursor.get(DescribeTopicPartitionsRequest.Cursor.TOPIC_NAME);
        int cursorPartition = cursor == null ? 0 : cursor.get(DescribeTopicPartitionsRequest.Cursor.PARTITION_INDEX);
        TopicStates.View view = states.view();
        TreeSet<String> candidates = new TreeSet<>();
        for (String name : all ? view.names() : names(requested)) {
            if (name.compareTo(cursorTopic) >= 0) {
                candidates.add(name);
            }
        }
        if (cursor != null && (cursorPartition < 0 || !all && !candidates.contains(cursorTopic))) {
            return invalidRequest(requested);
        }
        Struct response = DescribeTopicPartitionsResponse.SCHEMA.newStruct();
        List<String> refused = new ArrayList<>();
        int remaining = Math.max(Math.min(partitionLimit, request.get(DescribeTopicPartitionsRequest.RESPONSE_PARTITION_LIMIT)), 1);
        for (String name : candidates) {
            if (!access.mayDescribe(context, name)) {
                if (!all) {
                    refused.add(name);
                }
                continue;
            }
            if (remaining == 0) {
                // the page is full: the next one starts at this topic (which, named, may not even exist)
                nextCursor(response, name, 0);
                break;
            }
            TopicStates.DescribedTopic topic = view.topic(name);
            if (topic == null) {
                if (!all) {
                    unknown(response.add(DescribeTopicPartitionsResponse.TOPICS), name)
                        .set(DescribeTopicPartitionsResponseTopic.TOPIC_AUTHORIZED_OPERATIONS, access.authorizedOperations(context, name));
                }
                continue;
            }
            int first = name.equals(cursorTopic) ? cursorPartition : 0;
            int end = (int) Math.min(topic.partitionCount(), (long) first + remaining);
            Struct out = response.add(DescribeTopicPartitionsResponse.TOPICS)
                .set(DescribeTopicPartitionsResponseTopic.ERROR_CODE, ErrorCode.NONE.code())
                .set(DescribeTopicPartitionsResponseTopic.NAME, name)
                .set(DescribeTopicPartitionsResponseTopic.TOPIC_ID, topic.topicId())
                .set(DescribeTopicPartitionsResponseTopic.IS_INTERNAL, topic.isInternal())
                .set(DescribeTopicPartitionsResponseTopic.TOPIC_AUTHORIZED_OPERATIONS, access.authorizedOperations(context, name));
            for (int p = first; p < end; p++) {
                describe(out.add(DescribeTopicPartitionsResponseTopic.PARTITIONS), topic.partition(p));
            }
            if (end < topic.partitionCount()) {
                nextCursor(response, name, end);
                break;
            }
            remaining -= Math.max(0, end - first);
        }
        for (String name : refused) {
            response.add(DescribeTopicPartitionsResponse.TOPICS)
                .set(DescribeTopicPartitionsResponseTopic.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                .set(DescribeTopicPartitionsResponseTopic.NAME, name)
                .set(DescribeTopicPartitionsResponseTopic.TOPIC_ID, ZERO_UUID);
        }
        return response;
    }

    private static List<String> names(List<Struct> requested) {
        List<String> names = new ArrayList<>(requested.size());
        requested.forEach(t -> names.add(t.get(TopicRequest.NAME)));
        return names;
    }

    private static void describe(Struct out, TopicStates.DescribedPartition partition) {
        out.set(DescribeTopicPartitionsResponsePartition.ERROR_CODE, ErrorCode.NONE.code())
            .set(DescribeTopicPartitionsResponsePartition.PARTITION_INDEX, partition.index())
            .set(DescribeTopicPartitionsResponsePartition.LEADER_ID, partition.leader())
            .set(DescribeTopicPartitionsResponsePartition.LEADER_EPOCH, partition.leaderEpoch())
            .set(DescribeTopicPartitionsResponsePartition.REPLICA_NODES, partition.replicas())
            .set(DescribeTopicPartitionsResponsePartition.ISR_NODES, partition.isr())
            .set(DescribeTopicPartitionsResponsePartition.ELIGIBLE_LEADER_REPLICAS, NO_NODES)
            .set(DescribeTopicPartitionsResponsePartition.LAST_KNOWN_ELR, NO_NODES)
            .set(DescribeTopicPartitionsResponsePartition.OFFLINE_REPLICAS, partition.offline());
    }

    /** A named topic that does not exist: INVALID_TOPIC_EXCEPTION for a name no topic can have, as Kafka's Topic.validate. */
    private static Struct unknown(Struct out, String name) {
        ErrorCode error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        try {
            LogManager.validateTopicName(name);
        } catch (TopicException e) {
            error = ErrorCode.INVALID_TOPIC_EXCEPTION;
        }
        return out.set(DescribeTopicPartitionsResponseTopic.ERROR_CODE, error.code())
            .set(DescribeTopicPartitionsResponseTopic.NAME, name)
            .set(DescribeTopicPartitionsResponseTopic.TOPIC_ID, ZERO_UUID)
            .set(DescribeTopicPartitionsResponseTopic.IS_INTERNAL, InternalTopics.isInternal(name));
    }

    private static void nextCursor(Struct response, String topic, int partition) {
        response.set(DescribeTopicPartitionsResponse.NEXT_CURSOR, DescribeTopicPartitionsResponse.Cursor.SCHEMA.newStruct()
            .set(DescribeTopicPartitionsResponse.Cursor.TOPIC_NAME, topic)
            .set(DescribeTopicPartitionsResponse.Cursor.PARTITION_INDEX, partition));
    }

    /** Kafka's DescribeTopicPartitionsRequest.getErrorResponse: every named topic with INVALID_REQUEST, nothing else. */
    private static Struct invalidRequest(List<Struct> requested) {
        Struct response = DescribeTopicPartitionsResponse.SCHEMA.newStruct();
        for (String name : names(requested)) {
            response.add(DescribeTopicPartitionsResponse.TOPICS)
                .set(DescribeTopicPartitionsResponseTopic.ERROR_CODE, ErrorCode.INVALID_REQUEST.code())
                .set(DescribeTopicPartitionsResponseTopic.NAME, name);
        }
        return response;
    }
}
