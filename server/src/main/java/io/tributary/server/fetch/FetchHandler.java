package io.tributary.server.fetch;

import io.tributary.log.LogManager;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchPartition;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchRequest.ForgottenTopic;
import io.tributary.protocol.message.fetch.FetchRequest.ReplicaState;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.replica.ReplicaView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Fetch (API key 1, versions 4-18): consumers reading records.
 *
 * <p>The path of a request: decode the partitions it names (by topic id from v13, by name before); let the
 * {@link FetchSessionCache} decide its session context (sessionless, full, incremental or a session
 * error) and with it which partitions to read; read them ({@link PartitionReader}: log slices under the
 * KIP-74 limits); then answer at once when Kafka would — max_wait_ms &lt;= 0, nothing readable, min_bytes
 * available, or a read failed — and otherwise park the fetch in the {@link FetchPurgatory} until an
 * append brings min_bytes or max_wait_ms passes. Records go out as log slices sent with sendfile.
 *
 * <p>max_bytes is capped by the broker's fetch.max.bytes, and min_bytes by the result, as in Kafka. A
 * request from a replica (replica id set) is a follower's fetch: served up to the log end offset for the
 * partitions this broker leads under an assignment (see {@link ReplicaView}), NOT_LEADER_OR_FOLLOWER for the others;
 * consumers read up to the high watermark.
 *
 * <p>Every partition a fetch will read, named or kept in its session, is put to {@link FetchAccess} when the fetch
 * arrives; a refused one is answered with the error instead of being read.
 */
public final class FetchHandler implements ApiHandler {
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final FetchSessionCache sessions;
    private final FetchPurgatory purgatory;
    private final PartitionReader reader;
    private final int brokerMaxBytes;
    private final LogManager logs;
    private final FetchAccess access;

    /** @param brokerMaxBytes fetch.max.bytes: the most record bytes any one response carries (KIP-74 aside) */
    public FetchHandler(LogManager logs, FetchSessionCache sessions, FetchPurgatory purgatory, int brokerMaxBytes) {
        this(logs, ReplicaView.SOLE, sessions, purgatory, brokerMaxBytes, FetchAccess.EVERYONE);
    }

    /**
     * @param replicas which partitions this broker leads, their high watermarks and followers
     * @param access   who may read which topic, asked for every partition each fetch reads
     */
    public FetchHandler(LogManager logs, ReplicaView replicas, FetchSessionCache sessions, FetchPurgatory purgatory,
                        int brokerMaxBytes, FetchAccess access) {
        this.sessions = sessions;
        this.purgatory = purgatory;
        this.reader = new PartitionReader(logs, replicas);
        this.brokerMaxBytes = brokerMaxBytes;
        this.logs = logs;
        this.access = access;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        short version = context.apiVersion();
        LinkedHashMap<FetchKey, PartitionRequest> requested = new LinkedHashMap<>();
        for (Struct topic : request.get(FetchRequest.TOPICS)) {
            UUID topicId = topic.get(FetchTopic.TOPIC_ID);
            String name = topic.get(FetchTopic.TOPIC);
            for (Struct partition : topic.get(FetchTopic.PARTITIONS)) {
                int index = partition.get(FetchPartition.PARTITION);
                FetchKey key = version >= 13 ? FetchKey.byId(topicId == null ? ZERO_UUID : topicId, index)
                    : FetchKey.byName(name == null ? "" : name, index);
                requested.put(key, new PartitionRequest(key, partition.get(FetchPartition.FETCH_OFFSET),
                    partition.get(FetchPartition.PARTITION_MAX_BYTES), partition.get(FetchPartition.CURRENT_LEADER_EPOCH),
                    partition.get(FetchPartition.LAST_FETCHED_EPOCH)));
            }
        }
        List<FetchKey> forgotten = new ArrayList<>();
        for (Struct topic : request.get(FetchRequest.FORGOTTEN_TOPICS_DATA)) {
            UUID topicId = topic.get(ForgottenTopic.TOPIC_ID);
            String name = topic.get(ForgottenTopic.TOPIC);
            for (int index : topic.get(ForgottenTopic.PARTITIONS)) {
                forgotten.add(version >= 13 ? FetchKey.byId(topicId == null ? ZERO_UUID : topicId, index)
                    : FetchKey.byName(name == null ? "" : name, index));
            }
        }
        FetchContext fetchContext = sessions.newContext(version, request.get(FetchRequest.SESSION_ID),
            request.get(FetchRequest.SESSION_EPOCH), requested, forgotten);

        int replicaId = version >= 15 ? request.get(FetchRequest.REPLICA_STATE).get(ReplicaState.REPLICA_ID)
            : request.get(FetchRequest.REPLICA_ID);
        int maxBytes = Math.min(request.get(FetchRequest.MAX_BYTES), brokerMaxBytes);
        int minBytes = Math.min(request.get(FetchRequest.MIN_BYTES), maxBytes);
        boolean readCommitted = request.get(FetchRequest.ISOLATION_LEVEL) == 1;
        FetchOperation operation = new FetchOperation(fetchContext, reader, request.get(FetchRequest.MAX_WAIT_MS),
            minBytes, maxBytes, readCommitted, replicaId, refused(context, replicaId, fetchContext.partitions()));

        FetchReads reads = operation.read();
        if (operation.answerNow(reads)) {
            return CompletableFuture.completedFuture(operation.answer(reads));
        }
        reads.release(); // a parked fetch holds no slices: it reads again when it completes
        DelayedFetch delayed = new DelayedFetch(operation, context, purgatory, reads);
        purgatory.park(delayed, operation, reads);
        return delayed.answer();
    }

    /**
     * The partitions of {@code partitions} that {@link FetchAccess} refuses, decided once at arrival (a parked fetch
     * reads the same set again). A topic id this broker does not know is left to the reader (UNKNOWN_TOPIC_ID).
     */
    private Set<FetchKey> refused(RequestContext context, int replicaId, List<PartitionRequest> partitions) {
        if (access == FetchAccess.EVERYONE || partitions.isEmpty()) {
            return Set.of();
        }
        Set<FetchKey> refused = new HashSet<>();
        Map<FetchKey, Boolean> byTopic = new HashMap<>();
        for (PartitionRequest partition : partitions) {
            FetchKey topicKey = partition.key().isById() ? FetchKey.byId(partition.key().topicId(), 0)
                : FetchKey.byName(partition.key().topic(), 0);
            boolean allowed = byTopic.computeIfAbsent(topicKey, k -> {
                String name = k.isById() ? nameOf(k.topicId()) : k.topic();
                return name == null || access.mayRead(context, replicaId, name);
            });
            if (!allowed) {
                refused.add(partition.key());
            }
        }
        return refused;
    }

    private String nameOf(UUID topicId) {
        io.tributary.log.TopicMetadata topic = logs.topic(topicId);
        return topic == null ? null : topic.name();
    }

    @Override
    public void connectionClosed(String connectionId) {
        purgatory.connectionClosed(connectionId);
    }
}
