package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.protocol.ApiKey;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.AdvertisedEndpoints;

import java.util.function.Supplier;

/**
 * The group APIs, each served by the {@link GroupCoordinator}: FindCoordinator, the classic membership
 * protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), committed offsets (OffsetCommit, OffsetFetch,
 * OffsetDelete) and group administration (DescribeGroups, ListGroups, DeleteGroups).
 *
 * <p>Design note: the coordinator speaks in its own request and outcome types and never blocks; the
 * {@link GroupCoordinatorAdapter} turns request bodies into those types and outcomes into response bodies,
 * version by version. So each handler here is one line: pass the body, its version and what only the
 * connection knows (client id and address for JoinGroup, this broker's advertised endpoint for
 * FindCoordinator), and continue on the connection's event loop ({@link CoordinatorHandler}). The group
 * state machine and offsets live in the consumer-groups module, which knows neither Netty nor the wire
 * schemas.
 */
public final class GroupApis {
    private GroupApis() {
    }

    /**
     * @param nodeId     this broker's id
     * @param advertised the endpoint clients are told to use; known only once the listener is bound
     */
    public static void register(ApiDispatcher dispatcher, GroupCoordinator groupCoordinator, int nodeId,
                                Supplier<ServerConfig.Listener> advertised) {
        registerPerListener(dispatcher, groupCoordinator, nodeId, () -> AdvertisedEndpoints.single(advertised.get()));
    }

    /**
     * @param nodeId     this broker's id
     * @param advertised the endpoints clients are told to use, per listener (FindCoordinator answers with the one the
     *                   client connected through); known only once the listeners are bound
     */
    public static void registerPerListener(ApiDispatcher dispatcher, GroupCoordinator groupCoordinator, int nodeId,
                                           Supplier<AdvertisedEndpoints> advertised) {
        registerPerListener(dispatcher, groupCoordinator, nodeId, advertised, null);
    }

    /** @param transactions answers FindCoordinator for transactional ids, or null (UNSUPPORTED_VERSION) */
    public static void registerPerListener(ApiDispatcher dispatcher, GroupCoordinator groupCoordinator, int nodeId,
                                           Supplier<AdvertisedEndpoints> advertised, GroupCoordinatorAdapter.TransactionLookup transactions) {
        GroupCoordinatorAdapter coordinator = new GroupCoordinatorAdapter(groupCoordinator, transactions);
        dispatcher.register(ApiKey.FIND_COORDINATOR, new CoordinatorHandler((context, request) -> {
            ServerConfig.Listener endpoint = advertised.get().forListener(context.listenerName());
            return coordinator.findCoordinator(request, context.apiVersion(),
                new io.tributary.protocol.Node(nodeId, endpoint.host(), endpoint.port()));
        }));
        registerGroupApis(dispatcher, coordinator);
    }

    /**
     * The group APIs of a cluster member: FindCoordinator names the leader of the key's partition of
     * {@code __consumer_offsets} or {@code __transaction_state} from the metadata image ({@link CoordinatorLocator}),
     * with its endpoint on the listener the request came in on; the other APIs are served by this broker's coordinator,
     * which answers NOT_COORDINATOR for groups whose partition it does not lead.
     */
    public static void registerInCluster(ApiDispatcher dispatcher, GroupCoordinator groupCoordinator, CoordinatorLocator locator,
                                         String transactionStateTopic) {
        GroupCoordinatorAdapter coordinator = new GroupCoordinatorAdapter(groupCoordinator);
        dispatcher.register(ApiKey.FIND_COORDINATOR, new CoordinatorHandler((context, request) ->
            coordinator.findCoordinator(request, context.apiVersion(), (keyType, key) -> locator.locate(
                keyType == GroupCoordinatorAdapter.KEY_TYPE_TRANSACTION ? transactionStateTopic : GroupCoordinator.OFFSETS_TOPIC,
                key, context.listenerName()))));
        registerGroupApis(dispatcher, coordinator);
    }

    private static void registerGroupApis(ApiDispatcher dispatcher, GroupCoordinatorAdapter coordinator) {
        dispatcher.register(ApiKey.JOIN_GROUP, new CoordinatorHandler((context, request) ->
            coordinator.joinGroup(request, context.apiVersion(), context.header().clientId(), CoordinatorHandler.clientHost(context))));
        dispatcher.register(ApiKey.SYNC_GROUP, new CoordinatorHandler((context, request) ->
            coordinator.syncGroup(request, context.apiVersion())));
        dispatcher.register(ApiKey.HEARTBEAT, new CoordinatorHandler((context, request) ->
            coordinator.heartbeat(request, context.apiVersion())));
        dispatcher.register(ApiKey.LEAVE_GROUP, new CoordinatorHandler((context, request) ->
            coordinator.leaveGroup(request, context.apiVersion())));
        dispatcher.register(ApiKey.OFFSET_COMMIT, new CoordinatorHandler((context, request) ->
            coordinator.offsetCommit(request, context.apiVersion())));
        dispatcher.register(ApiKey.OFFSET_FETCH, new CoordinatorHandler((context, request) ->
            coordinator.offsetFetch(request, context.apiVersion())));
        dispatcher.register(ApiKey.OFFSET_DELETE, new CoordinatorHandler((context, request) ->
            coordinator.offsetDelete(request, context.apiVersion())));
        dispatcher.register(ApiKey.DESCRIBE_GROUPS, new CoordinatorHandler((context, request) ->
            coordinator.describeGroups(request, context.apiVersion())));
        dispatcher.register(ApiKey.LIST_GROUPS, new CoordinatorHandler((context, request) ->
            coordinator.listGroups(request, context.apiVersion())));
        dispatcher.register(ApiKey.DELETE_GROUPS, new CoordinatorHandler((context, request) ->
            coordinator.deleteGroups(request, context.apiVersion())));
    }
}
