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

/** ApiVersions: the APIs this broker serves and their version ranges. */
public final class ApiVersionsHandler implements ApiHandler {
    private final ApiDispatcher dispatcher;

    public ApiVersionsHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.completedFuture(ApiResponse.of(answer(dispatcher, ErrorCode.NONE)));
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
