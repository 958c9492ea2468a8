package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.message.admin.DescribeConfigsRequest;
import io.tributary.protocol.message.admin.DescribeConfigsRequest.DescribeConfigsResource;
import io.tributary.protocol.message.admin.DescribeConfigsResponse;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResourceResult;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResult;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsSynonym;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs (key 32, v1-4): a topic's configs (every topic config key, writable), this broker's
 * settings (read-only), or the cluster-wide dynamic broker defaults (resource name "", of which there are
 * none), restricted to the requested keys when the request names any (unknown keys are left out, as in
 * Kafka). Synonyms only with include_synonyms, documentation only with include_documentation (v3+).
 * Everything is in memory, so the answer is given on the event loop.
 */
final class DescribeConfigsHandler implements ApiHandler {
    private final LogManager logs;
    private final ConfigDescriber describer;
    private final int nodeId;

    DescribeConfigsHandler(LogManager logs, ConfigDescriber describer, int nodeId) {
        this.logs = logs;
        this.describer = describer;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        boolean synonyms = request.get(DescribeConfigsRequest.INCLUDE_SYNONYMS);
        boolean documentation = request.get(DescribeConfigsRequest.INCLUDE_DOCUMENTATION);
        Struct response = DescribeConfigsResponse.SCHEMA.newStruct();
        for (Struct resource : request.get(DescribeConfigsRequest.RESOURCES)) {
            byte type = resource.get(DescribeConfigsResource.RESOURCE_TYPE);
            String name = resource.get(DescribeConfigsResource.RESOURCE_NAME);
            Struct result = response.add(DescribeConfigsResponse.RESULTS)
                .set(DescribeConfigsResult.RESOURCE_TYPE, type)
                .set(DescribeConfigsResult.RESOURCE_NAME, name);
            List<DescribedConfig> configs;
            try {
                configs = describe(type, name);
            } catch (RuntimeException e) {
                ApiError error = ApiError.from(e, "Describing configs of " + name);
                result.set(DescribeConfigsResult.ERROR_CODE, error.error().code())
                    .set(DescribeConfigsResult.ERROR_MESSAGE, error.message());
                continue;
            }
            List<String> keys = resource.get(DescribeConfigsResource.CONFIGURATION_KEYS);
            Set<String> wanted = keys == null ? null : new HashSet<>(keys);
            for (DescribedConfig config : configs) {
                if (wanted == null || wanted.contains(config.name())) {
                    write(result.add(DescribeConfigsResult.CONFIGS), config, synonyms, documentation);
                }
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private List<DescribedConfig> describe(byte type, String name) {
        if (type == ConfigResource.TOPIC) {
            TopicMetadata topic = logs.topic(name);
            if (topic == null) {
                throw TopicConfigEditor.unknownTopic(name);
            }
            return describer.topic(logs.defaults().withOverrides(topic.configOverrides()), topic.routingFences());
        }
        if (type == ConfigResource.BROKER) {
            return ConfigResource.isClusterDefault(name, nodeId) ? List.of() : describer.broker();
        }
        throw ConfigResource.unsupportedType(type, name);
    }

    /** A password (ssl.keystore.password ...) is answered as Kafka answers it: sensitive, with a null value, synonyms too. */
    private static void write(Struct out, DescribedConfig config, boolean synonyms, boolean documentation) {
        boolean sensitive = config.type() == io.tributary.config.ConfigType.PASSWORD;
        out.set(DescribeConfigsResourceResult.NAME, config.name())
            .set(DescribeConfigsResourceResult.VALUE, sensitive ? null : config.value())
            .set(DescribeConfigsResourceResult.READ_ONLY, config.readOnly())
            .set(DescribeConfigsResourceResult.CONFIG_SOURCE, config.source().id)
            .set(DescribeConfigsResourceResult.IS_SENSITIVE, sensitive)
            .set(DescribeConfigsResourceResult.CONFIG_TYPE, config.type().kafkaId)
            .set(DescribeConfigsResourceResult.DOCUMENTATION, documentation ? config.documentation() : null);
        if (synonyms) {
            for (DescribedConfig.Synonym synonym : config.synonyms()) {
                out.add(DescribeConfigsResourceResult.SYNONYMS)
                    .set(DescribeConfigsSynonym.NAME, synonym.name())
                    .set(DescribeConfigsSynonym.VALUE, sensitive ? null : synonym.value())
                    .set(DescribeConfigsSynonym.SOURCE, synonym.source().id);
            }
        }
    }
}
