package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.network.ClientRequest;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.DescribeConfigsRequest;
import io.tributary.protocol.message.admin.DescribeConfigsRequest.DescribeConfigsResource;
import io.tributary.protocol.message.admin.DescribeConfigsResponse;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResourceResult;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResult;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsSynonym;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest.AlterConfigsResource;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest.AlterableConfig;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import io.tributary.protocol.message.metadata.DescribeClusterRequest;
import io.tributary.protocol.message.metadata.DescribeClusterResponse;
import io.tributary.protocol.message.metadata.DescribeClusterResponse.DescribeClusterBroker;
import io.tributary.protocol.message.schema.Struct;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Configs and the cluster: DescribeConfigs, IncrementalAlterConfigs, DescribeCluster. One attempt per method;
 * callers run them under {@link AdminContext#retrying}.
 *
 * <p>Every request goes to any broker: Tributary is one broker, and Kafka's brokers forward config changes to
 * the controller. (A broker resource of a multi-broker Kafka cluster must be described by that broker; that
 * routing is not done here yet.)
 */
final class ConfigOperations {
    private final AdminContext ctx;

    ConfigOperations(AdminContext ctx) {
        this.ctx = ctx;
    }

    CompletableFuture<Map<ConfigResource, CompletableFuture<Config>>> describeConfigs(Collection<ConfigResource> resources,
                                                                                   boolean includeDocumentation) {
        ClientRequest request = ClientRequest.of(ApiKey.DESCRIBE_CONFIGS, version -> {
            Struct body = DescribeConfigsRequest.SCHEMA.newStruct()
                .set(DescribeConfigsRequest.INCLUDE_SYNONYMS, true)
                .set(DescribeConfigsRequest.RESOURCES, new ArrayList<>());
            if (version >= 3) {
                body.set(DescribeConfigsRequest.INCLUDE_DOCUMENTATION, includeDocumentation);
            }
            for (ConfigResource r : resources) {
                body.add(DescribeConfigsRequest.RESOURCES)
                    .set(DescribeConfigsResource.RESOURCE_TYPE, r.type().id())
                    .set(DescribeConfigsResource.RESOURCE_NAME, r.name())
                    .set(DescribeConfigsResource.CONFIGURATION_KEYS, null); // every config
            }
            return body;
        });
        return ctx.send(ctx.anyNode(), request).thenApply(response -> {
            Map<ConfigResource, CompletableFuture<Config>> outcomes = new LinkedHashMap<>();
            for (Struct r : response.body().get(DescribeConfigsResponse.RESULTS)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.forId(r.get(DescribeConfigsResult.RESOURCE_TYPE)),
                    r.get(DescribeConfigsResult.RESOURCE_NAME));
                ErrorCode error = ErrorCode.forCode(r.get(DescribeConfigsResult.ERROR_CODE));
                if (error != ErrorCode.NONE) {
                    outcomes.put(resource, CompletableFuture.failedFuture(AdminErrors.forResource(error, "Describing configs of",
                        resource, r.get(DescribeConfigsResult.ERROR_MESSAGE))));
                    continue;
                }
                List<ConfigEntry> entries = new ArrayList<>();
                for (Struct c : r.get(DescribeConfigsResult.CONFIGS)) {
                    List<ConfigEntry.Synonym> synonyms = new ArrayList<>();
                    for (Struct s : c.get(DescribeConfigsResourceResult.SYNONYMS)) {
                        synonyms.add(new ConfigEntry.Synonym(s.get(DescribeConfigsSynonym.NAME), s.get(DescribeConfigsSynonym.VALUE),
                            ConfigEntry.Source.forId(s.get(DescribeConfigsSynonym.SOURCE))));
                    }
                    entries.add(new ConfigEntry(c.get(DescribeConfigsResourceResult.NAME), c.get(DescribeConfigsResourceResult.VALUE),
                        ConfigEntry.Source.forId(c.get(DescribeConfigsResourceResult.CONFIG_SOURCE)),
                        c.get(DescribeConfigsResourceResult.READ_ONLY), c.get(DescribeConfigsResourceResult.IS_SENSITIVE),
                        synonyms, c.get(DescribeConfigsResourceResult.DOCUMENTATION)));
                }
                outcomes.put(resource, CompletableFuture.completedFuture(new Config(entries)));
            }
            return outcomes;
        });
    }

    CompletableFuture<Map<ConfigResource, CompletableFuture<Void>>> incrementalAlterConfigs(
            Map<ConfigResource, ? extends Collection<AlterConfigOp>> changes, boolean validateOnly) {
        Struct body = IncrementalAlterConfigsRequest.SCHEMA.newStruct()
            .set(IncrementalAlterConfigsRequest.VALIDATE_ONLY, validateOnly)
            .set(IncrementalAlterConfigsRequest.RESOURCES, new ArrayList<>());
        changes.forEach((resource, ops) -> {
            Struct r = body.add(IncrementalAlterConfigsRequest.RESOURCES)
                .set(AlterConfigsResource.RESOURCE_TYPE, resource.type().id())
                .set(AlterConfigsResource.RESOURCE_NAME, resource.name())
                .set(AlterConfigsResource.CONFIGS, new ArrayList<>());
            for (AlterConfigOp op : ops) {
                r.add(AlterConfigsResource.CONFIGS)
                    .set(AlterableConfig.NAME, op.name())
                    .set(AlterableConfig.CONFIG_OPERATION, op.op().id())
                    .set(AlterableConfig.VALUE, op.value());
            }
        });
        return ctx.send(ctx.anyNode(), ClientRequest.of(ApiKey.INCREMENTAL_ALTER_CONFIGS, body)).thenApply(response -> {
            Map<ConfigResource, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
            for (Struct r : response.body().get(IncrementalAlterConfigsResponse.RESPONSES)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.forId(r.get(AlterConfigsResourceResponse.RESOURCE_TYPE)),
                    r.get(AlterConfigsResourceResponse.RESOURCE_NAME));
                ErrorCode error = ErrorCode.forCode(r.get(AlterConfigsResourceResponse.ERROR_CODE));
                outcomes.put(resource, error == ErrorCode.NONE ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(AdminErrors.forResource(error, "Altering configs of", resource,
                        r.get(AlterConfigsResourceResponse.ERROR_MESSAGE))));
            }
            return outcomes;
        });
    }

    CompletableFuture<ClusterDescription> describeCluster() {
        Struct body = DescribeClusterRequest.SCHEMA.newStruct();
        return ctx.send(ctx.anyNode(), ClientRequest.of(ApiKey.DESCRIBE_CLUSTER, body)).thenApply(response -> {
            Struct r = response.body();
            ErrorCode error = ErrorCode.forCode(r.get(DescribeClusterResponse.ERROR_CODE));
            if (error != ErrorCode.NONE) {
                throw ApiException.of(error, "Describing the cluster at " + response.node() + " failed",
                    r.get(DescribeClusterResponse.ERROR_MESSAGE));
            }
            List<Node> nodes = new ArrayList<>();
            Node controller = null;
            int controllerId = r.get(DescribeClusterResponse.CONTROLLER_ID);
            for (Struct b : r.get(DescribeClusterResponse.BROKERS)) {
                Node node = new Node(b.get(DescribeClusterBroker.BROKER_ID), b.get(DescribeClusterBroker.HOST),
                    b.get(DescribeClusterBroker.PORT), b.get(DescribeClusterBroker.RACK));
                nodes.add(node);
                if (node.id() == controllerId) {
                    controller = node;
                }
            }
            ctx.learnNodes(nodes);
            return new ClusterDescription(r.get(DescribeClusterResponse.CLUSTER_ID), nodes, controller);
        });
    }
}
