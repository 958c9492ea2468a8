package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.AdvertisedEndpoints;
import io.tributary.server.metadata.ClusterIdentity;

import java.util.function.Supplier;

/**
 * The admin APIs: topics (CreateTopics, DeleteTopics, CreatePartitions), configs (DescribeConfigs,
 * AlterConfigs, IncrementalAlterConfigs), DescribeCluster, and with cluster metadata leader elections (ElectLeaders)
 * and partition reassignments (AlterPartitionReassignments, ListPartitionReassignments). Handlers that write to disk answer from the
 * I/O executor; the describing ones answer on the event loop. The two config-altering APIs share one
 * {@link TopicConfigEditor}, which serializes their read-modify-write of topic overrides.
 */
public final class AdminApis {
    private AdminApis() {
    }

    /** @param advertised the endpoints clients are told to use, per listener; known only once the listeners are bound */
    public static void register(ApiDispatcher dispatcher, LogManager logs, ClusterIdentity identity, ServerConfig config,
                                Supplier<AdvertisedEndpoints> advertised) {
        register(dispatcher, logs, identity, config, advertised, null);
    }

    /**
     * @param cluster the cluster metadata: topics are created and deleted through its controller and DescribeCluster
     *                lists its brokers; null: this broker alone, changing its local logs directly
     */
    public static void register(ApiDispatcher dispatcher, LogManager logs, ClusterIdentity identity, ServerConfig config,
                                Supplier<AdvertisedEndpoints> advertised, ClusterMetadata cluster) {
        ReplicaPlacement placement = cluster == null ? new ReplicaPlacement(identity.nodeId())
            : new ReplicaPlacement(identity.nodeId(), () -> cluster.image().brokers().keySet());
        ConfigDescriber describer = new ConfigDescriber(config);
        TopicConfigEditor editor = new TopicConfigEditor(logs);
        dispatcher.register(ApiKey.CREATE_TOPICS, new CreateTopicsHandler(logs, placement, describer,
            config.getInt(ServerConfig.NUM_PARTITIONS), cluster, config.getInt(ServerConfig.DEFAULT_REPLICATION_FACTOR)));
        dispatcher.register(ApiKey.DELETE_TOPICS, new DeleteTopicsHandler(logs, cluster));
        dispatcher.register(ApiKey.CREATE_PARTITIONS, new CreatePartitionsHandler(logs, placement, cluster));
        dispatcher.register(ApiKey.DESCRIBE_CONFIGS, new DescribeConfigsHandler(logs, describer, identity.nodeId()));
        dispatcher.register(ApiKey.ALTER_CONFIGS, ConfigAlterationHandler.wholesale(editor, identity.nodeId()));
        dispatcher.register(ApiKey.INCREMENTAL_ALTER_CONFIGS, ConfigAlterationHandler.incremental(editor, identity.nodeId()));
        dispatcher.register(ApiKey.DESCRIBE_CLUSTER, new DescribeClusterHandler(identity, advertised, cluster));
        dispatcher.register(ApiKey.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(logs, config.logDirs(), cluster));
        if (cluster != null) {
            // leadership and replica moves are the controller's: a broker without cluster metadata does not serve them
            dispatcher.register(ApiKey.ELECT_LEADERS, new ElectLeadersHandler(cluster));
            dispatcher.register(ApiKey.ALTER_PARTITION_REASSIGNMENTS, PartitionReassignmentHandlers.alter(cluster));
            dispatcher.register(ApiKey.LIST_PARTITION_REASSIGNMENTS, PartitionReassignmentHandlers.list(cluster));
        }
    }
}
