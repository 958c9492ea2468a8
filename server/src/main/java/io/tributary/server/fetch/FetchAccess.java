package io.tributary.server.fetch;

import io.tributary.server.api.RequestContext;

/**
 * Whether a fetcher may read a topic's records, asked at each fetch's arrival for every partition it will read: the
 * partitions the request names and, for an incremental fetch (KIP-227), those its session keeps. A refused partition is
 * not read and is answered TOPIC_AUTHORIZATION_FAILED (for a replica without CLUSTER_ACTION too), so an ACL removed
 * while a consumer's session lives takes effect at its next fetch, as in Kafka, whose KafkaApis authorizes the fetch
 * context's partitions on every request. The ACLs themselves are the authorizer's ({@code security.authz}); this is the
 * one question the fetch path needs answered.
 */
@FunctionalInterface
public interface FetchAccess {
    /** No authorizer: everyone reads everything, and nothing is asked. */
    FetchAccess EVERYONE = (context, replicaId, topic) -> true;

    /**
     * @param replicaId the request's replica id: -1 for a consumer, a broker id for a follower
     * @param topic     the topic's name
     */
    boolean mayRead(RequestContext context, int replicaId, String topic);
}
