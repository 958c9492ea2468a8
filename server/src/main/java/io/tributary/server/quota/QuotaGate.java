package io.tributary.server.quota;

import io.tributary.log.LogSlice;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.schema.Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Throttles clients over their quotas the Kafka way: each API's handler is wrapped so that, once it has answered, the
 * client's Produce record bytes (producer_byte_rate), Fetch response record bytes (consumer_byte_rate; replica fetches are
 * exempt) and handling time (request_percentage) are recorded against its quota; a client over a quota gets the
 * throttle in the response's {@code throttle_time_ms} and its connection muted for that long after the response
 * ({@link ApiResponse#throttleMs()}). With no quota configured at all, a request costs one volatile read here.
 *
 * <p>A consumer's Fetch that is throttled (by either quota) is answered empty, as Kafka answers it: no records, the
 * throttle time, and its bytes taken back from the consumer_byte_rate bucket since none were sent.
 */
public final class QuotaGate {
    private static final String THROTTLE_FIELD = "throttle_time_ms";

    private QuotaGate() {
    }

    public static void install(ApiDispatcher dispatcher, ClientQuotas quotas) {
        for (ApiKey api : ApiKey.values()) {
            if (api == ApiKey.API_VERSIONS || api == ApiKey.SASL_HANDSHAKE || api == ApiKey.SASL_AUTHENTICATE) {
                continue; // exempt, as in Kafka: a client must always be able to connect
            }
            dispatcher.wrap(api, inner -> (context, request) -> handle(quotas, api, inner, context, request));
        }
    }

    private static CompletableFuture<ApiResponse> handle(ClientQuotas quotas, ApiKey api, ApiHandler inner, RequestContext context,
                                                         Struct request) {
        boolean produce = api == ApiKey.PRODUCE && quotas.enforces(QuotaType.PRODUCE);
        boolean time = quotas.enforces(QuotaType.REQUEST);
        boolean consumerFetch = api == ApiKey.FETCH && (time || quotas.enforces(QuotaType.FETCH)) && !isReplicaFetch(context, request);
        boolean fetch = consumerFetch && quotas.enforces(QuotaType.FETCH);
        if (!produce && !fetch && !time) {
            return inner.handle(context, request);
        }
        long produceBytes = produce ? recordBytes(request) : 0;
        long started = System.nanoTime();
        CompletableFuture<ApiResponse> answer = inner.handle(context, request);
        long handlingNanos = System.nanoTime() - started;
        String user = userName(context.principal());
        String clientId = context.header().clientId();
        return answer.thenApply(response -> {
            long throttle = 0;
            if (produce) {
                throttle = quotas.recordAndGetThrottleMs(QuotaType.PRODUCE, user, clientId, produceBytes);
            }
            long fetchBytes = 0;
            if (fetch) {
                for (LogSlice slice : response.slices()) {
                    fetchBytes += slice.length();
                }
                throttle = Math.max(throttle, quotas.recordAndGetThrottleMs(QuotaType.FETCH, user, clientId, fetchBytes));
            }
            if (time) {
                throttle = Math.max(throttle, quotas.recordAndGetThrottleMs(QuotaType.REQUEST, user, clientId, handlingNanos));
            }
            if (throttle <= 0) {
                return response;
            }
            int ms = (int) Math.min(throttle, Integer.MAX_VALUE);
            if (consumerFetch && !response.isNone()) {
                // As Kafka's KafkaApis.handleFetchRequest: a throttled fetch is answered without records, and the bytes it
                // would have sent are taken back from the quota; the fetcher asks again from the same offsets once unmuted.
                if (fetch) {
                    quotas.unrecord(QuotaType.FETCH, user, clientId, fetchBytes);
                }
                response.discard();
                return new ApiResponse(emptyFetch(request, response.body(), ms), List.of(), ms);
            }
            if (!response.isNone()) {
                Field<?> field = response.body().schema().field(THROTTLE_FIELD);
                if (field instanceof Int32Field throttleField) {
                    response.body().set(throttleField, Math.max(ms, response.body().get(throttleField)));
                }
            }
            return response.throttled(ms);
        });
    }

    /**
     * Kafka's throttled fetch answer (its fetch contexts' getThrottledResponse): the throttle time, the answer's
     * top-level error, no partitions, and the session id only for an incremental fetch (epoch &gt; 0), since a full
     * fetch's new session is not told to the fetcher (it sends a full fetch again).
     */
    private static Struct emptyFetch(Struct request, Struct answered, int throttleMs) {
        int sessionId = request.get(FetchRequest.SESSION_EPOCH) > 0 ? answered.get(FetchResponse.SESSION_ID) : 0;
        return FetchResponse.SCHEMA.newStruct()
            .set(FetchResponse.THROTTLE_TIME_MS, throttleMs)
            .set(FetchResponse.ERROR_CODE, answered.get(FetchResponse.ERROR_CODE))
            .set(FetchResponse.SESSION_ID, sessionId);
    }

    /** Kafka's user quota name: the principal's name without its type ({@code User:alice} is alice). */
    static String userName(String principal) {
        int colon = principal.indexOf(':');
        return colon < 0 ? principal : principal.substring(colon + 1);
    }

    private static boolean isReplicaFetch(RequestContext context, Struct request) {
        int replicaId = context.apiVersion() >= 15 ? request.get(FetchRequest.REPLICA_STATE).get(FetchRequest.ReplicaState.REPLICA_ID)
            : request.get(FetchRequest.REPLICA_ID);
        return replicaId >= 0;
    }

    private static long recordBytes(Struct request) {
        long bytes = 0;
        for (Struct topic : request.get(ProduceRequest.TOPIC_DATA)) {
            for (Struct partition : topic.get(TopicProduceData.PARTITION_DATA)) {
                ByteBuffer records = partition.get(PartitionProduceData.RECORDS);
                bytes += records == null ? 0 : records.remaining();
            }
        }
        return bytes;
    }
}
