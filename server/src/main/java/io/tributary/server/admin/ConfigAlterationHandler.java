package io.tributary.server.admin;

import io.tributary.protocol.message.admin.AlterConfigsRequest;
import io.tributary.protocol.message.admin.AlterConfigsResponse;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The two config-altering APIs, which share their request shape, their per-resource error handling and
 * their rules and differ only in how a resource's configs become the new overrides:
 * <ul>
 * <li>AlterConfigs (key 33, v0-2), the legacy API: the configs named become the topic's overrides and
 * every other override is dropped (Kafka's wholesale semantics).</li>
 * <li>IncrementalAlterConfigs (key 44, v0-1): SET and DELETE edit a topic's overrides key by key and leave
 * the others alone; APPEND and SUBTRACT exist only for list-typed configs (INVALID_CONFIG otherwise, as in
 * Kafka).</li>
 * </ul>
 * Every operation of a resource is checked and the resulting overrides validated as a whole before
 * anything is written, so a bad value changes nothing; validate_only writes nothing. Broker resources are
 * refused: this broker has no dynamic broker configs. The change is persisted with an fsync, so requests
 * run on the I/O executor.
 */
final class ConfigAlterationHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ConfigAlterationHandler.class);

    /** The field handles of one of the two APIs (same wire shape, distinct schemas). */
    private record Wire(BoolField validateOnly, StructArrayField resources, Int8Field resourceType,
                        StringField resourceName, StructArrayField configs, MessageSchema responseSchema,
                        StructArrayField responses, Int16Field errorCode, StringField errorMessage,
                        Int8Field responseType, StringField responseName) {
    }

    /** A resource's configs turned into a change of the topic's overrides, and how to log it. */
    private record Change(UnaryOperator<Map<String, String>> edit, Object description) {
    }

    private final Wire wire;
    private final Function<List<Struct>, Change> toChange;
    private final String verb;
    private final TopicConfigEditor editor;
    private final int nodeId;

    private ConfigAlterationHandler(Wire wire, Function<List<Struct>, Change> toChange, String verb,
                                    TopicConfigEditor editor, int nodeId) {
        this.wire = wire;
        this.toChange = toChange;
        this.verb = verb;
        this.editor = editor;
        this.nodeId = nodeId;
    }

    /** AlterConfigs: wholesale replacement of a topic's overrides. */
    static ConfigAlterationHandler wholesale(TopicConfigEditor editor, int nodeId) {
        Wire wire = new Wire(AlterConfigsRequest.VALIDATE_ONLY, AlterConfigsRequest.RESOURCES,
            AlterConfigsRequest.AlterConfigsResource.RESOURCE_TYPE, AlterConfigsRequest.AlterConfigsResource.RESOURCE_NAME,
            AlterConfigsRequest.AlterConfigsResource.CONFIGS, AlterConfigsResponse.SCHEMA, AlterConfigsResponse.RESPONSES,
            AlterConfigsResponse.AlterConfigsResourceResponse.ERROR_CODE, AlterConfigsResponse.AlterConfigsResourceResponse.ERROR_MESSAGE,
            AlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_TYPE, AlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_NAME);
        return new ConfigAlterationHandler(wire, configs -> {
            List<ConfigChanges.Entry> entries = new ArrayList<>();
            for (Struct config : configs) {
                entries.add(new ConfigChanges.Entry(config.get(AlterConfigsRequest.AlterableConfig.NAME),
                    config.get(AlterConfigsRequest.AlterableConfig.VALUE)));
            }
            Map<String, String> overrides = ConfigChanges.replacement(entries);
            return new Change(current -> overrides, overrides);
        }, "replaced by", editor, nodeId);
    }

    /** IncrementalAlterConfigs: key-by-key SET and DELETE. */
    static ConfigAlterationHandler incremental(TopicConfigEditor editor, int nodeId) {
        Wire wire = new Wire(IncrementalAlterConfigsRequest.VALIDATE_ONLY, IncrementalAlterConfigsRequest.RESOURCES,
            IncrementalAlterConfigsRequest.AlterConfigsResource.RESOURCE_TYPE, IncrementalAlterConfigsRequest.AlterConfigsResource.RESOURCE_NAME,
            IncrementalAlterConfigsRequest.AlterConfigsResource.CONFIGS, IncrementalAlterConfigsResponse.SCHEMA,
            IncrementalAlterConfigsResponse.RESPONSES, IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.ERROR_CODE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.ERROR_MESSAGE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_TYPE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_NAME);
        return new ConfigAlterationHandler(wire, configs -> {
            List<ConfigChanges.Operation> operations = new ArrayList<>();
            for (Struct config : configs) {
                operations.add(new ConfigChanges.Operation(config.get(IncrementalAlterConfigsRequest.AlterableConfig.NAME),
                    config.get(IncrementalAlterConfigsRequest.AlterableConfig.CONFIG_OPERATION),
                    config.get(IncrementalAlterConfigsRequest.AlterableConfig.VALUE)));
            }
            return new Change(ConfigChanges.incremental(operations), operations);
        }, "changed by", editor, nodeId);
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        boolean validateOnly = request.get(wire.validateOnly());
        List<Struct> resources = request.get(wire.resources());
        DuplicateResources duplicates = new DuplicateResources(resources, wire.resourceType(), wire.resourceName());
        Struct response = wire.responseSchema().newStruct();
        for (Struct resource : resources) {
            byte type = resource.get(wire.resourceType());
            String name = resource.get(wire.resourceName());
            ApiError error = ApiError.NONE;
            try {
                duplicates.check(type, name);
                alter(type, name, resource.get(wire.configs()), validateOnly);
            } catch (RuntimeException e) {
                error = ApiError.from(e, "Altering configs of " + name);
            }
            response.add(wire.responses())
                .set(wire.errorCode(), error.error().code())
                .set(wire.errorMessage(), error.message())
                .set(wire.responseType(), type)
                .set(wire.responseName(), name);
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
        Change change = toChange.apply(configs);
        editor.edit(name, change.edit(), validateOnly);
        if (!validateOnly) {
            log.info("Topic {} config overrides {} {}", name, verb, change.description());
        }
    }
}
