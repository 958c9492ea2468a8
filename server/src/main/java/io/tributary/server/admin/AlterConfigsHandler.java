package io.tributary.server.admin;

import io.tributary.protocol.message.admin.AlterConfigsRequest;
import io.tributary.protocol.message.admin.AlterConfigsRequest.AlterConfigsResource;
import io.tributary.protocol.message.admin.AlterConfigsRequest.AlterableConfig;
import io.tributary.protocol.message.admin.AlterConfigsResponse;
import io.tributary.protocol.message.admin.AlterConfigsResponse.AlterConfigsResourceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs (key 33, v0-2), the legacy API: the configs named become the topic's overrides and every
 * other override is dropped (Kafka's wholesale semantics). The new set is validated as a whole, so a bad
 * value changes nothing; validate_only checks and writes nothing. Broker resources are refused: this
 * broker has no dynamic broker configs. The change is persisted with an fsync, so the request runs on
 * the I/O executor.
 */
final class AlterConfigsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(AlterConfigsHandler.class);

    private final TopicConfigEditor editor;
    private final int nodeId;

    AlterConfigsHandler(TopicConfigEditor editor, int nodeId) {
        this.editor = editor;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        boolean validateOnly = request.get(AlterConfigsRequest.VALIDATE_ONLY);
        List<Struct> resources = request.get(AlterConfigsRequest.RESOURCES);
        DuplicateResources duplicates = new DuplicateResources(resources, AlterConfigsResource.RESOURCE_TYPE,
            AlterConfigsResource.RESOURCE_NAME);
        Struct response = AlterConfigsResponse.SCHEMA.newStruct();
        for (Struct resource : resources) {
            byte type = resource.get(AlterConfigsResource.RESOURCE_TYPE);
            String name = resource.get(AlterConfigsResource.RESOURCE_NAME);
            ApiError error = ApiError.NONE;
            try {
                duplicates.check(type, name);
                alter(type, name, resource.get(AlterConfigsResource.CONFIGS), validateOnly);
            } catch (RuntimeException e) {
                error = ApiError.from(e, "Altering configs of " + name);
            }
            response.add(AlterConfigsResponse.RESPONSES)
                .set(AlterConfigsResourceResponse.ERROR_CODE, error.error().code())
                .set(AlterConfigsResourceResponse.ERROR_MESSAGE, error.message())
                .set(AlterConfigsResourceResponse.RESOURCE_TYPE, type)
                .set(AlterConfigsResourceResponse.RESOURCE_NAME, name);
        }
        return response;
    }

    private void alter(byte type, String name, List<Struct> configs, boolean validateOnly) {
        if (type == ConfigResource.BROKER) {
            ConfigResource.isClusterDefault(name, nodeId);
            throw ConfigResource.brokerConfigsReadOnly(name);
        }
        if (type != ConfigResource.TOPIC) {
            throw ConfigResource.unsupportedType(type, name);
        }
        List<ConfigChanges.Entry> entries = new ArrayList<>();
        for (Struct config : configs) {
            entries.add(new ConfigChanges.Entry(config.get(AlterableConfig.NAME), config.get(AlterableConfig.VALUE)));
        }
        Map<String, String> overrides = ConfigChanges.replacement(entries);
        editor.edit(name, current -> overrides, validateOnly);
        if (!validateOnly) {
            log.info("Topic {} config overrides replaced by {}", name, overrides);
        }
    }
}
