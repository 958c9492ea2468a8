package io.tributary.server.admin;

import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest.AlterConfigsResource;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest.AlterableConfig;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs (key 44, v0-1): SET and DELETE edit a topic's overrides key by key and leave
 * the others alone; APPEND and SUBTRACT exist only for list-typed configs, which no topic config of this
 * broker is, so they are INVALID_CONFIG as in Kafka. All operations of a resource are checked, and the
 * resulting overrides validated as a whole, before anything is written; validate_only writes nothing.
 * Broker resources are refused: there are no dynamic broker configs yet. Runs on the I/O executor
 * because the change is persisted with an fsync.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(IncrementalAlterConfigsHandler.class);

    private final TopicConfigEditor editor;
    private final int nodeId;

    IncrementalAlterConfigsHandler(TopicConfigEditor editor, int nodeId) {
        this.editor = editor;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        boolean validateOnly = request.get(IncrementalAlterConfigsRequest.VALIDATE_ONLY);
        List<Struct> resources = request.get(IncrementalAlterConfigsRequest.RESOURCES);
        DuplicateResources duplicates = new DuplicateResources(resources, AlterConfigsResource.RESOURCE_TYPE,
            AlterConfigsResource.RESOURCE_NAME);
        Struct response = IncrementalAlterConfigsResponse.SCHEMA.newStruct();
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
            response.add(IncrementalAlterConfigsResponse.RESPONSES)
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
        List<ConfigChanges.Operation> operations = new ArrayList<>();
        for (Struct config : configs) {
            operations.add(new ConfigChanges.Operation(config.get(AlterableConfig.NAME),
                config.get(AlterableConfig.CONFIG_OPERATION), config.get(AlterableConfig.VALUE)));
        }
        editor.edit(name, ConfigChanges.incremental(operations), validateOnly);
        if (!validateOnly) {
            log.info("Topic {} config overrides changed: {}", name, operations);
        }
    }
}
