package io.tributary.server.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.metadata.ApiVersionsResponse.ApiVersion;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.util.concurrent.CompletableFuture;

/**
 * ApiVersions: the APIs this broker serves and their version ranges, and from v3 the features (KIP-584) as Kafka 4.3
 * advertises them: {@code transaction.version} supported 0-2 and finalized at 2 when the broker has a transaction
 * coordinator (Kafka 4.x clients then use transaction protocol 2, KIP-890), with finalized-features epoch 0.
 */
public final class ApiVersionsHandler implements ApiHandler {
    /** Kafka's feature name for the transaction protocol version. */
    public static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    static final short TRANSACTION_VERSION = 2;

    private final ApiDispatcher dispatcher;

    public ApiVersionsHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        Struct response = answer(dispatcher, ErrorCode.NONE);
        if (dispatcher.serves(ApiKey.END_TXN)) {
            // The transaction coordinator runs: finalize transaction protocol 2 (the highest), as a Kafka 4.3 cluster does.
            response.add(ApiVersionsResponse.SUPPORTED_FEATURES)
                .set(ApiVersionsResponse.SupportedFeatureKey.NAME, TRANSACTION_VERSION_FEATURE)
                .set(ApiVersionsResponse.SupportedFeatureKey.MIN_VERSION, (short) 0)
                .set(ApiVersionsResponse.SupportedFeatureKey.MAX_VERSION, TRANSACTION_VERSION);
            response.set(ApiVersionsResponse.FINALIZED_FEATURES_EPOCH, 0L);
            response.add(ApiVersionsResponse.FINALIZED_FEATURES)
                .set(ApiVersionsResponse.FinalizedFeatureKey.NAME, TRANSACTION_VERSION_FEATURE)
                .set(ApiVersionsResponse.FinalizedFeatureKey.MIN_VERSION_LEVEL, TRANSACTION_VERSION)
                .set(ApiVersionsResponse.FinalizedFeatureKey.MAX_VERSION_LEVEL, TRANSACTION_VERSION);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    /** The v0 answer to an ApiVersions request of a version we do not serve: the error plus our ranges. */
    public static Struct unsupportedVersionAnswer(ApiDispatcher dispatcher) {
        return answer(dispatcher, ErrorCode.UNSUPPORTED_VERSION);
    }

    private static Struct answer(ApiDispatcher dispatcher, ErrorCode error) {
        Struct response = ApiVersionsResponse.SCHEMA.newStruct();
        response.set(ApiVersionsResponse.ERROR_CODE, error.code());
        for (ApiKey api : ApiKey.values()) {
            if (dispatcher.serves(api)) {
                response.add(ApiVersionsResponse.API_KEYS)
                    .set(ApiVersion.API_KEY, api.id())
                    .set(ApiVersion.MIN_VERSION, api.minVersion())
                    .set(ApiVersion.MAX_VERSION, api.maxVersion());
            }
        }
        return response;
    }
}
