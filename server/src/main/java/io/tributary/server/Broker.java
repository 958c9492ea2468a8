package io.tributary.server;

import io.tributary.groups.GroupCoordinator;
import io.tributary.log.AppendReplication;
import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.server.admin.AdminApis;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.cluster.BrokerHeartbeats;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.server.cluster.ImageHandoff;
import io.tributary.server.cluster.MetadataPublisher;
import io.tributary.server.cluster.PartitionLeadership;
import io.tributary.server.cluster.QuorumBrokerDirectory;
import io.tributary.server.cluster.QuorumIsrChangeChannel;
import io.tributary.server.replica.BrokerDirectory;
import io.tributary.server.replica.IsrChangeChannel;
import io.tributary.server.replica.PartitionRoles;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.metadata.quorum.MetadataQuorumConfig;
import io.tributary.metadata.quorum.QuorumController;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.LogConfig;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.extension.BrokerExtension;
import io.tributary.server.fetch.FetchAccess;
import io.tributary.server.fetch.FetchHandler;
import io.tributary.server.fetch.FetchPurgatory;
import io.tributary.server.fetch.FetchSessionCache;
import io.tributary.server.fetch.ListOffsetsHandler;
import io.tributary.server.fetch.OffsetForLeaderEpochHandler;
import io.tributary.server.group.CoordinatorLocator;
import io.tributary.server.group.GroupApis;
import io.tributary.server.metrics.BrokerMetrics;
import io.tributary.server.metrics.MeteredFetch;
import io.tributary.server.metrics.MeteredProduce;
import io.tributary.server.metrics.MetricsEndpoint;
import io.tributary.server.metadata.AdvertisedEndpoints;
import io.tributary.server.security.SecurityApis;
import io.tributary.server.quota.ClientQuotas;
import io.tributary.server.quota.FileQuotaStore;
import io.tributary.server.quota.QuotaApis;
import io.tributary.server.quota.QuotaGate;
import io.tributary.server.security.authz.AclApis;
import io.tributary.server.security.authz.AuthorizationGate;
import io.tributary.server.security.authz.Authorizer;
import io.tributary.server.security.authz.AuthorizerSettings;
import io.tributary.server.security.authz.FileAclStore;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.FileCredentialStore;
import io.tributary.server.metadata.ApiVersionsHandler;
import io.tributary.server.metadata.ClusterIdentity;
import io.tributary.server.metadata.DescribeTopicPartitionsHandler;
import io.tributary.server.metadata.InconsistentClusterIdException;
import io.tributary.server.metadata.MetadataHandler;
import io.tributary.server.metadata.TopicDescribeAccess;
import io.tributary.server.metadata.TopicStates;
import io.tributary.server.network.NetworkServer;
import io.tributary.server.produce.InitProducerIdHandler;
import io.tributary.server.produce.ProduceHandler;
import io.tributary.server.produce.ProducePurgatory;
import io.tributary.server.replica.ReplicaManager;
import io.tributary.server.produce.ProducerIdAllocator;
import io.tributary.server.txn.TransactionApis;
import io.tributary.server.txn.TransactionCoordinator;
import io.tributary.server.txn.ClusterMarkerChannel;
import io.tributary.server.txn.ClusterProduceCheck;
import io.tributary.server.txn.TxnMarkerWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Tributary broker: the logs (with their idempotent-producer state), the group and transaction coordinators, the API handlers
 * and the listeners, started in that order and stopped in reverse, so no request is accepted before the
 * logs are recovered and none is served after they close. The coordinator writes to the logs on its own
 * threads, so it starts after them and stops (answering what is parked, finishing its appends) before
 * they close; it loads {@code __consumer_offsets} in the background, answering COORDINATOR_LOAD_IN_PROGRESS
 * meanwhile, as Kafka does, so a large offsets topic does not delay listening. The metrics endpoint starts
 * last and stops first, so a scrape never sees closed logs; extensions (the web console, when ops puts it on the
 * class path) start after it and stop before it, and one of them may serve the metrics listener itself.
 *
 * <p>Start-up: the metadata quorum member (Ratis; a quorum of one by default) is the longest step, so it starts first,
 * on its own thread, and the logs open and the handlers that do not read the cluster image are built meanwhile; the
 * broker awaits it only before building those that do, then accepts connections. Its listeners are bound before that,
 * before the logs open, and hold connections in their backlog until then (as Kafka's acceptors do), so a client that
 * connects early is served as soon as the broker can. The quorum member stops alongside the logs, and is
 * stopped when {@link #close} returns.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final ServerConfig config;
    private final LogManager logs;
    private final ClusterIdentity identity;
    private final ExecutorService ioExecutor;
    private final FetchSessionCache fetchSessions;
    private final FetchPurgatory fetchPurgatory;
    private final ReplicaManager replicaManager;
    private final ProducePurgatory producePurgatory;
    private final GroupCoordinator groupCoordinator;
    private final CompletableFuture<Void> groupsLoaded;
    private final CompletableFuture<Void> offsetsTopicLoaded = new CompletableFuture<>();
    private final TransactionCoordinator transactionCoordinator;
    private ClusterMarkerChannel markerChannel;
    private ClusterProduceCheck produceCheck;
    private final CompletableFuture<Void> transactionsLoaded;
    private final NetworkServer network;
    private final BrokerMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final ClusterMetadata cluster;
    private final MetadataPublisher publisher;
    private final PartitionRoles roles;
    private final BrokerDirectory brokerDirectory;
    private final IsrChangeChannel isrChanges;
    private final BrokerHeartbeats heartbeats;
    /** Extensions found on the class path (the web console), and the one serving metrics.listener, if any. */
    private final List<BrokerExtension> extensions = new ArrayList<>();
    private final BrokerExtension metricsServedBy;
    private final List<BrokerExtension.Running> running = new ArrayList<>();
    private InetSocketAddress extensionMetricsAddress;
    private volatile boolean closed;
    /** Completed (once) when the quorum agreed on a cluster id this broker's confirmed meta.properties contradicts. */
    private final CompletableFuture<InconsistentClusterIdException> identityRefused = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private Broker(ServerConfig config) throws InterruptedException {
        this.config = config;
        Clock clock = Clock.systemUTC();
        // The identity first (one small file): its cluster id is what this node's controller proposes to the quorum.
        this.identity = ClusterIdentity.loadOrCreate(config.logDirs().get(0), config.getInt(ServerConfig.NODE_ID));
        // ---- cluster, first and in the background: this node's quorum member starts (Ratis' class loading, grpc,
        // replaying its log; the longest single step of a start) while the logs open and the handlers are built. The
        // images it applies meanwhile wait in the handoff for the publisher, which needs the opened logs; each is
        // first checked against this broker's identity (agreeClusterId).
        ImageHandoff images = new ImageHandoff();
        CompletableFuture<ClusterMetadata> joining = ClusterMetadata.startInBackground(config.quorumConfig(),
            new QuorumController.Settings(config.quorumConfig().sessionTimeoutMs(),
                config.logDefaults().get(LogConfig.UNCLEAN_LEADER_ELECTION_ENABLE),
                config.get(ServerConfig.AUTO_LEADER_REBALANCE_ENABLE_KEY)
                    ? java.time.Duration.ofSeconds(config.get(ServerConfig.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS_KEY))
                    : java.time.Duration.ZERO,
                config.quorumConfig().writeTimeout(), config.quorumConfig().heartbeatIntervalMs(),
                config.get(MetadataQuorumConfig.BROKER_LIVENESS_PROBE_ENABLE), identity.clusterId()),
            (image, records) -> {
                agreeClusterId(image);
                images.onImage(image, records);
            });
        AtomicInteger ioThreads = new AtomicInteger();
        this.ioExecutor = Executors.newFixedThreadPool(config.getInt(ServerConfig.NUM_IO_THREADS), runnable -> {
            Thread thread = new Thread(runnable, "io-" + ioThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // ---- listeners: bound next, while the quorum member starts and before the logs open (recovery may be long), as
        // Kafka binds its acceptors before its log manager starts; they accept connections only below
        // (acceptConnections), once every handler is registered, so a client that connects meanwhile waits in the
        // listen backlog with its first request unread. SASL listeners authenticate against the SCRAM credentials kept
        // in the first log directory.
        ApiDispatcher dispatcher = new ApiDispatcher();
        CredentialStore credentials;
        try {
            credentials = FileCredentialStore.open(config.logDirs().get(0));
            this.network = NetworkServer.bindHeld(config, dispatcher, ioExecutor, credentials);
        } catch (InterruptedException | RuntimeException e) {
            ioExecutor.shutdownNow();
            ClusterMetadata.closeWhenStarted(joining);
            throw e;
        }
        long opening = System.nanoTime();
        try {
            this.logs = LogManager.open(config.logManagerConfig(), clock);
        } catch (RuntimeException e) {
            network.close();
            ioExecutor.shutdownNow();
            ClusterMetadata.closeWhenStarted(joining);
            throw e;
        }
        this.metrics = new BrokerMetrics(logs, System.nanoTime() - opening);
        this.fetchSessions = new FetchSessionCache(config.getInt(ServerConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS),
            FetchSessionCache.DEFAULT_EVICTION_MS, clock::millis);
        // Parked fetches wait here; every append to any log wakes them, whoever wrote it (a log listener).
        this.fetchPurgatory = new FetchPurgatory();
        logs.addListener(fetchPurgatory);
        // Replication: roles from the metadata (PartitionRoles), high watermarks; their moves wake parked fetches and produces.
        this.replicaManager = new ReplicaManager(config.replicationSettings(), logs, config.logDirs(), clock);
        this.producePurgatory = new ProducePurgatory(replicaManager);
        replicaManager.addListener(fetchPurgatory::partitionChanged);
        replicaManager.addListener(producePurgatory::partitionChanged);
        metrics.watch(replicaManager, producePurgatory);
        GroupCoordinator coordinator = null;
        TransactionCoordinator transactions = null;
        NetworkServer listening = network; // closed with the rest if the start fails from here on
        ClusterMetadata joined = null;
        BrokerHeartbeats beating = null;
        // ---- cluster: this node's quorum member (a quorum of one without controller.quorum.voters); every image it
        // applies creates or deletes local logs and feeds the partition roles, in order, on the publisher's thread
        this.roles = replicaManager;
        this.publisher = new MetadataPublisher(identity.nodeId(), logs, roles);
        if (config.quorumConfig().isCluster()) {
            // a restarted broker of a cluster acts on no replayed past image, and leads no partition it has no assignment for
            publisher.holdUntilRegistered();
            replicaManager.refuseUnassignedPartitions();
        }
        images.attach(publisher); // after the hold: images Ratis applied while starting may be handed over at once
        // The replica manager is connected before the first image is applied (images may arrive while the quorum
        // starts): brokers are looked up in the publisher's image, ISR changes go to the controller once joined.
        this.brokerDirectory = new QuorumBrokerDirectory(publisher::latest, config.interBrokerEndpoint().name());
        AtomicReference<ClusterMetadata> joinedQuorum = new AtomicReference<>();
        replicaManager.connect((partition, leaderId, leaderEpoch, partitionEpoch, proposedIsr) -> {
            ClusterMetadata quorum = joinedQuorum.get();
            return quorum == null
                ? CompletableFuture.failedFuture(new QuorumIsrChangeChannel.IsrChangeRefused(partition,
                    ErrorCode.NOT_CONTROLLER, "this broker has not joined the metadata quorum yet"))
                : new QuorumIsrChangeChannel(quorum).alterIsr(partition, leaderId, leaderEpoch, partitionEpoch, proposedIsr);
        }, brokerDirectory);
        // ---- end cluster (joined below, once the handlers that do not need the quorum are built)
        try {
            dispatcher.register(ApiKey.API_VERSIONS, new ApiVersionsHandler(dispatcher));
            // ---- security: SCRAM credentials (opened above, for the listeners)
            SecurityApis.register(dispatcher, credentials);
            // ---- authorization: ACLs kept in the first log directory; off (nothing wrapped) without authorizer.class.name
            AuthorizerSettings authorization = config.authorizerSettings();
            Authorizer authorizer = authorization.enabled()
                ? new Authorizer(authorization, FileAclStore.open(config.logDirs().get(0))) : null;
            AclApis.register(dispatcher, authorizer);
            // ---- client quotas: kept in the first log directory; enforced by wrapping every API once any quota exists
            ClientQuotas quotas = new ClientQuotas(config.quotaSettings(), FileQuotaStore.open(config.logDirs().get(0)),
                System::currentTimeMillis);
            QuotaApis.register(dispatcher, quotas);
            AtomicReference<AdvertisedEndpoints> advertised = new AtomicReference<>();
            // ---- consumer groups: loads __consumer_offsets in the background if it exists (startCoordinators); a
            // FindCoordinator creates it otherwise. Every write to __consumer_offsets waits for the partition's
            // followers (acks=-1) before it is applied
            coordinator = GroupCoordinator.create(config.groupCoordinatorConfig(), logs, coordinatorReplication(OFFSETS_COMMIT_TIMEOUT_MS));
            this.groupCoordinator = coordinator;
            this.groupsLoaded = new CompletableFuture<>();
            groupsLoaded.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    log.info("Group coordinator loaded {}", GroupCoordinator.OFFSETS_TOPIC);
                } else {
                    log.error("Group coordinator could not load every partition of {}; their groups get NOT_COORDINATOR",
                        GroupCoordinator.OFFSETS_TOPIC, failure);
                }
            });
            metrics.watch(coordinator);
            // ---- end consumer groups
            // ---- cluster: the quorum member started in the background; everything from here on reads its image
            joined = ClusterMetadata.await(joining);
            this.cluster = joined;
            throwIfIdentityRefused(); // the quorum's own log, replayed at its start, may hold the id already
            cluster.publishedBy(publisher);
            this.isrChanges = new QuorumIsrChangeChannel(cluster);
            joinedQuorum.set(cluster);
            metrics.watch(cluster);
            PartitionLeadership leadership = new PartitionLeadership(identity.nodeId(), cluster::image);
            // ---- end cluster
            // ---- transactions: __transaction_state is created through the controller (startCoordinators) and its
            // partitions loaded as this broker leads them; markers go to each partition's leader, this broker's own
            // through the same writer WriteTxnMarkers uses; producer ids come in blocks from the quorum
            ProducerIdAllocator producerIds = ProducerIdAllocator.fromQuorum(config.logDirs().get(0), this::reserveProducerIds,
                () -> cluster.image().nextProducerId());
            TxnMarkerWriter markerWriter = new TxnMarkerWriter(logs, coordinator, replicaManager, producePurgatory);
            this.markerChannel = new ClusterMarkerChannel(identity.nodeId(), this::leaderOf, brokerDirectory, markerWriter);
            transactions = new TransactionCoordinator(config.transactionCoordinatorConfig(), logs, clock, producerIds::allocate,
                () -> markerChannel, coordinatorReplication(STATE_REPLICATION_TIMEOUT_MS));
            this.transactionCoordinator = transactions;
            this.transactionsLoaded = new CompletableFuture<>();
            transactionsLoaded.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    log.info("Transaction coordinator loaded {}", TransactionCoordinator.STATE_TOPIC);
                } else {
                    log.error("Transaction coordinator could not load every partition of {}", TransactionCoordinator.STATE_TOPIC, failure);
                }
            });
            TransactionCoordinator txns = transactions;
            TransactionApis.register(dispatcher, txns, coordinator, markerWriter, logs);
            GroupApis.registerInCluster(dispatcher, coordinator, new CoordinatorLocator(cluster::image, brokerDirectory,
                this::createInternalTopicSoon), TransactionCoordinator.STATE_TOPIC);
            // ---- end transactions
            // ---- produce path: the logs rebuilt their idempotent-producer state when they opened
            long producerIdExpirationMs = config.getLong(ServerConfig.PRODUCER_ID_EXPIRATION_MS);
            // a transactional batch is checked with (protocol 2: added to) its transaction at the id's coordinator,
            // this broker's or another's
            this.produceCheck = new ClusterProduceCheck(identity.nodeId(), txns, this::transactionCoordinatorOf, brokerDirectory);
            dispatcher.register(ApiKey.PRODUCE, new MeteredProduce(new ProduceHandler(logs, replicaManager, producePurgatory,
                produceCheck, leadership, brokerDirectory), logs, metrics.traffic()));
            dispatcher.register(ApiKey.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds, logs, clock, producerIdExpirationMs, txns));
            // ---- end produce path
            dispatcher.register(ApiKey.METADATA, new MetadataHandler(logs, identity, config, advertised::get, cluster));
            dispatcher.register(ApiKey.DESCRIBE_TOPIC_PARTITIONS, new DescribeTopicPartitionsHandler(
                new TopicStates(logs, identity.nodeId(), cluster), config.get(ServerConfig.MAX_REQUEST_PARTITION_SIZE_LIMIT_KEY),
                authorizer == null ? TopicDescribeAccess.EVERYONE : AuthorizationGate.describeAccess(authorizer)));
            AdminApis.register(dispatcher, logs, identity, config, advertised::get, cluster);
            // ---- fetch path: long polls park in fetchPurgatory, which the logs' append events wake
            dispatcher.register(ApiKey.FETCH,
                new FetchHandler(logs, replicaManager, fetchSessions, fetchPurgatory, config.getInt(ServerConfig.FETCH_MAX_BYTES),
                    authorizer == null ? FetchAccess.EVERYONE : AuthorizationGate.fetchAccess(authorizer)));
            metrics.watch(fetchPurgatory);
            dispatcher.register(ApiKey.LIST_OFFSETS, new ListOffsetsHandler(logs, replicaManager));
            dispatcher.register(ApiKey.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(logs, replicaManager));
            // ---- end fetch path
            QuotaGate.install(dispatcher, quotas); // inside authorization: refused requests are counted against quotas too
            // Fetch traffic is counted outside the quota gate: a throttled fetch is answered empty and sends nothing.
            dispatcher.wrap(ApiKey.FETCH, fetch -> new MeteredFetch(fetch, logs, metrics.traffic()));
            if (authorizer != null) {
                AuthorizationGate.install(dispatcher, authorizer, logs, config.getBoolean(ServerConfig.AUTO_CREATE_TOPICS_ENABLE));
                log.info("ACL authorization on: super users {}, allow.everyone.if.no.acl.found={}", authorization.superUsers(),
                    authorization.allowEveryoneIfNoAclFound());
            }
            advertised.set(advertisedEndpoint(config, network));
            // where the listeners used to be bound: requests are read from here on, as before
            network.acceptConnections(metrics.requests());
            // ---- cluster: register with the bound endpoints; a quorum of one waits here until it is unfenced, so
            // the broker answers from a complete image as soon as start() returns
            throwIfIdentityRefused(); // before registering: a broker of another cluster's data does not join this one
            beating = new BrokerHeartbeats(cluster, publisher, logs, registeredEndpoints(config, advertised.get()),
                config.get(ServerConfig.BROKER_RACK_KEY), config.quorumConfig().heartbeatIntervalMs());
            beating.start();
            GroupCoordinator groups = coordinator;
            TransactionCoordinator txnCoordinator = transactions;
            if (!config.quorumConfig().isCluster()) {
                awaitReady(beating);
                throwIfIdentityRefused(); // applied by now: the controller writes the id before the registration
                startCoordinators(groups, txnCoordinator);
            } else {
                beating.ready().thenRunAsync(() -> startCoordinators(groups, txnCoordinator), ioExecutor);
            }
            // ---- end cluster
            ServerConfig.Listener metricsAt = config.metricsListener();
            ServiceLoader.load(BrokerExtension.class).forEach(extensions::add);
            this.metricsServedBy = metricsAt == null ? null
                : extensions.stream().filter(e -> e.takesMetricsListener(this)).findFirst().orElse(null);
            this.metricsEndpoint = metricsAt == null || metricsServedBy != null ? null : MetricsEndpoint.start(metricsAt.host(), metricsAt.port(),
                metrics::scrape, () -> !closed, this::isReady);
            this.heartbeats = beating;
            // the quorum may still tell this running broker (a restart that joined before it heard the id) that its
            // data is another cluster's: it closes itself, on a thread of its own (close waits for the apply thread)
            identityRefused.thenAccept(refusal -> {
                Thread stopper = new Thread(this::close, "cluster-id-refused");
                stopper.setDaemon(false);
                stopper.start();
            });
        } catch (InterruptedException | RuntimeException e) {
            if (beating != null) {
                beating.close();
            }
            if (listening != null) {
                listening.close();
            }
            if (transactions != null) {
                transactions.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
            fetchPurgatory.close();
            producePurgatory.close();
            replicaManager.close();
            ioExecutor.shutdownNow();
            if (joined != null) {
                joined.close();
            } else {
                ClusterMetadata.closeWhenStarted(joining);
            }
            publisher.close();
            metrics.close();
            logs.close();
            throw e;
        }
    }

    private static final long SINGLE_NODE_READY_TIMEOUT_MS = 30_000;

    /**
     * On the quorum's apply thread, with every image: once the image holds the agreed cluster id, this broker serves
     * it and its meta.properties adopts it ({@link ClusterIdentity#agree}); a confirmed meta.properties of another
     * cluster stops the broker (at start, the start fails; later, the broker closes itself).
     */
    private void agreeClusterId(MetadataImage image) {
        String agreed = image.clusterId();
        if (agreed == null || identityRefused.isDone()) {
            return;
        }
        String before = identity.clusterId();
        try {
            switch (identity.agree(agreed)) {
                case UNCHANGED -> { }
                case CONFIRMED -> log.info("Cluster id {} confirmed by the metadata quorum; written to {}", agreed,
                    identity.file());
                case ADOPTED -> log.info("Cluster id {} of the metadata quorum adopted in place of {}; written to {}",
                    agreed, before, identity.file());
                case REFUSED -> {
                    InconsistentClusterIdException refusal = identity.refusal(agreed);
                    log.error("Broker {} stops: {}", identity.nodeId(), refusal.getMessage());
                    identityRefused.complete(refusal);
                }
            }
        } catch (RuntimeException e) {
            log.error("Cannot confirm the cluster id {} in {}; trying again with the next metadata change", agreed,
                identity.file(), e);
        }
    }

    private void throwIfIdentityRefused() {
        InconsistentClusterIdException refusal = identityRefused.getNow(null);
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Why this broker stopped itself, if it did: its data belongs to another cluster than its quorum. */
    public InconsistentClusterIdException identityRefusal() {
        return identityRefused.getNow(null);
    }

    /** Completes when {@link #close} has stopped the broker, whoever closed it. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void awaitReady(BrokerHeartbeats beating) throws InterruptedException {
        try {
            beating.ready().get(SINGLE_NODE_READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Broker " + identity.nodeId() + " was not unfenced by its metadata quorum"
                + " within " + SINGLE_NODE_READY_TIMEOUT_MS + " ms", e);
        }
    }

    /** The endpoints this broker registers: each listener's advertised host and port, with its security protocol. */
    private static List<MetadataRecord.Endpoint> registeredEndpoints(ServerConfig config, AdvertisedEndpoints advertised) {
        List<MetadataRecord.Endpoint> endpoints = new ArrayList<>();
        for (ServerConfig.Endpoint listener : config.endpoints()) {
            ServerConfig.Listener at = advertised.forListener(listener.name());
            endpoints.add(new MetadataRecord.Endpoint(listener.name(), at.host(), at.port(), listener.protocol().name()));
        }
        return endpoints;
    }

    /**
     * How long a group coordinator write waits for its followers before the client is told to retry: Kafka's
     * {@code offsets.commit.timeout.ms} default.
     */
    private static final long OFFSETS_COMMIT_TIMEOUT_MS = 5_000;
    /** How long a transaction state change waits for its followers before the client is told to retry. */
    private static final long STATE_REPLICATION_TIMEOUT_MS = 30_000;

    /**
     * The coordinators follow the leadership of their internal topics' partitions: {@code __consumer_offsets} and
     * {@code __transaction_state} are created through the controller when a FindCoordinator first asks for a group or
     * transaction coordinator (replication factors capped at the live brokers unless set explicitly; an explicit factor
     * the live brokers cannot meet yet fails that attempt, and the client's next FindCoordinator retries it); each coordinator loads the
     * partitions this broker leads and follows leadership from then on (load on becoming leader, unload on losing it).
     * {@code groupsLoaded} and {@code transactionsLoaded} complete when the partitions led here at that point are loaded.
     */
    private void startCoordinators(GroupCoordinator groups, TransactionCoordinator transactions) {
        String offsets = GroupCoordinator.OFFSETS_TOPIC;
        String state = TransactionCoordinator.STATE_TOPIC;
        java.util.concurrent.atomic.AtomicBoolean groupsStarted = new java.util.concurrent.atomic.AtomicBoolean();
        publisher.addListener((partition, leading, epoch) -> {
            if (partition.topic().equals(offsets)) {
                if (!groupsStarted.get()) {
                    // the topic just appeared (created by a FindCoordinator or another broker): its local logs exist now
                    try {
                        ioExecutor.execute(() -> startGroupsOnce(groups, groupsStarted));
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        // closing: nothing to start
                    }
                } else if (leading) {
                    groups.elect(partition.partition(), epoch);
                } else {
                    groups.resign(partition.partition());
                }
            } else if (partition.topic().equals(state)) {
                if (leading) {
                    transactions.becomeLeader(partition.partition(), epoch);
                } else {
                    transactions.resign(partition.partition(), epoch);
                }
            }
        });
        transactions.startTimers();
        try {
            // Both internal topics are created only when a client first looks for a coordinator of their kind
            // (FindCoordinator, CoordinatorLocator -> createInternalTopicSoon), as Kafka does: a broker that never sees a
            // consumer group or a transaction neither creates nor loads 50 partitions at every start. When the topic
            // exists (a restart, or another broker created it) the partitions led here load now, before groupsLoaded.
            boolean offsetsExist = cluster.image().topic(offsets) != null;
            boolean stateExists = cluster.image().topic(state) != null;
            publisher.awaitPublished(30_000);
            if (offsetsExist) {
                startGroupsOnce(groups, groupsStarted);
            } else {
                groupsLoaded.complete(null); // nothing to load; partitions are loaded as they are created and led
            }
            if (stateExists) {
                List<CompletableFuture<Void>> loads = new ArrayList<>();
                forEachLed(state, (p, epoch) -> {
                    transactions.becomeLeader(p, epoch);
                    loads.add(transactions.loaded(p));
                });
                completeWith(loads, transactionsLoaded);
            } else {
                transactionsLoaded.complete(null); // nothing to load; partitions are loaded as they are created and led
            }
        } catch (RuntimeException e) {
            groupsLoaded.completeExceptionally(e);
            transactionsLoaded.completeExceptionally(e);
        }
    }

    /** Starts the group coordinator once {@code __consumer_offsets} exists locally, electing the partitions led here. */
    private void startGroupsOnce(GroupCoordinator groups, java.util.concurrent.atomic.AtomicBoolean started) {
        synchronized (started) {
            if (started.get() || logs.topic(GroupCoordinator.OFFSETS_TOPIC) == null) {
                return;
            }
            groups.start(List.of()).join();
            started.set(true);
        }
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        forEachLed(GroupCoordinator.OFFSETS_TOPIC, (p, epoch) -> loads.add(groups.elect(p, epoch)));
        // groupsLoaded is a no-op when the topic was created after start-up (already complete); it completes before
        // offsetsTopicLoaded, so whoever waited for the topic's load also finds the groups loaded
        completeWith(loads, groupsLoaded, offsetsTopicLoaded);
    }

    private void forEachLed(String topicName, java.util.function.BiConsumer<Integer, Integer> action) {
        var topic = cluster.image().topic(topicName);
        if (topic == null) {
            return;
        }
        for (int p = 0; p < topic.partitions().size(); p++) {
            var partition = topic.partitions().get(p);
            if (partition.leader() == identity.nodeId()) {
                action.accept(p, partition.leaderEpoch());
            }
        }
    }

    /** Completes each of {@code loaded}, in the order given, once every one of {@code loads} is done. */
    @SafeVarargs
    private static void completeWith(List<CompletableFuture<Void>> loads, CompletableFuture<Void>... loaded) {
        CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0])).whenComplete((v, failure) -> {
            for (CompletableFuture<Void> future : loaded) {
                if (failure == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(failure);
                }
            }
        });
    }

    /** Sends the CreateTopic of an internal topic; null when the image already has it. */
    private ControllerReply createInternalTopic(String name) {
        if (cluster.image().topic(name) != null) {
            return null;
        }
        boolean offsets = name.equals(GroupCoordinator.OFFSETS_TOPIC);
        var replicationKey = offsets ? ServerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_KEY
            : io.tributary.server.txn.TransactionCoordinatorConfig.STATE_LOG_REPLICATION_FACTOR;
        int replication = offsets ? config.get(ServerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_KEY)
            : config.transactionCoordinatorConfig().stateTopicReplicationFactor();
        if (!config.isExplicit(replicationKey.name())) {
            replication = Math.max(1, Math.min(replication, cluster.image().unfencedBrokerIds().size()));
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        // compacted, not deleted by age: the latest state per key stays, so load time follows the live groups and ids
        overrides.put(LogConfig.CLEANUP_POLICY.name(), "compact");
        int partitions;
        if (offsets) {
            overrides.put(LogConfig.SEGMENT_BYTES.name(), Integer.toString(config.groupCoordinatorConfig().offsetsTopicSegmentBytes()));
            partitions = config.groupCoordinatorConfig().offsetsTopicPartitions();
        } else {
            var txnConfig = config.transactionCoordinatorConfig();
            overrides.put(LogConfig.SEGMENT_BYTES.name(), Integer.toString(txnConfig.stateTopicSegmentBytes()));
            overrides.put(LogConfig.MIN_INSYNC_REPLICAS.name(), Integer.toString(Math.min(txnConfig.stateTopicMinIsr(), replication)));
            partitions = txnConfig.stateTopicPartitions();
        }
        log.info("Creating {} through the controller: {} partitions, replication factor {}", name, partitions, replication);
        return cluster.sendAndAwait(new ControllerRequest.CreateTopic(name, null, partitions, (short) replication, overrides,
            List.of(), false), ClusterMetadata.ADMIN_TIMEOUT).join();
    }

    private final Map<String, CompletableFuture<Void>> creating = new java.util.concurrent.ConcurrentHashMap<>();

    /** A FindCoordinator found the internal topic missing: creates it in the background, one attempt at a time. */
    private void createInternalTopicSoon(String name) {
        if (closed || cluster.brokerEpoch() < 0) {
            return; // not registered yet: the client's FindCoordinator is answered COORDINATOR_NOT_AVAILABLE and retried
        }
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        if (creating.putIfAbsent(name, attempt) != null) {
            return; // an attempt is under way; the client's next FindCoordinator starts another if it fails
        }
        try {
            ioExecutor.execute(() -> {
                try {
                    ControllerReply reply = createInternalTopic(name);
                    if (reply != null && !reply.accepted() && reply.error() != ErrorCode.TOPIC_ALREADY_EXISTS) {
                        log.info("Cannot create {} yet: {} {}", name, reply.error(), reply.message());
                    }
                } catch (RuntimeException e) {
                    log.info("Cannot create {} yet: {}", name, e.toString());
                } finally {
                    creating.remove(name, attempt);
                    attempt.complete(null);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            creating.remove(name, attempt); // closing
        }
    }

    /** A partition's leader for the marker channel: the image's, or this broker for a topic the image does not know. */
    private int leaderOf(io.tributary.protocol.TopicPartition tp) {
        var topic = cluster.image().topic(tp.topic());
        var state = topic == null ? null : topic.partition(tp.partition());
        return state == null ? identity.nodeId() : state.leader();
    }

    /** The broker leading the transactional id's partition of {@code __transaction_state} in the image, or -1. */
    private int transactionCoordinatorOf(String transactionalId) {
        var topic = cluster.image().topic(TransactionCoordinator.STATE_TOPIC);
        if (topic == null || topic.partitions().isEmpty()) {
            return -1;
        }
        return topic.partitions().get(CoordinatorLocator.partitionFor(transactionalId, topic.partitions().size())).leader();
    }

    /**
     * The acks=-1 wait of a coordinator's own writes: admitted before the append only with enough replicas in sync,
     * answered once the high watermark covers it or {@code timeoutMs} passed.
     */
    private AppendReplication coordinatorReplication(long timeoutMs) {
        return new AppendReplication() {
            @Override
            public ErrorCode admit(io.tributary.protocol.TopicPartition partition) {
                return replicaManager.produceCheck(partition, true, minInsync(partition));
            }

            @Override
            public CompletableFuture<ErrorCode> await(io.tributary.protocol.TopicPartition partition, int leaderEpoch, long requiredOffset) {
                return producePurgatory.await(partition, leaderEpoch, requiredOffset, minInsync(partition), timeoutMs);
            }
        };
    }

    private int minInsync(io.tributary.protocol.TopicPartition tp) {
        var partitionLog = logs.log(tp);
        return partitionLog == null ? 1 : partitionLog.config().get(LogConfig.MIN_INSYNC_REPLICAS);
    }

    /** The next block of producer ids from the controller, at or above {@code atLeast}; blocks for a quorum round trip. */
    private long reserveProducerIds(long atLeast) {
        long epoch = cluster.brokerEpoch();
        if (epoch < 0) {
            throw new ProducerIdAllocator.Unavailable("Broker " + identity.nodeId() + " has not registered with the controller yet", null);
        }
        ControllerReply reply;
        try {
            reply = cluster.sendAndAwait(new ControllerRequest.ProducerIds(identity.nodeId(), epoch, atLeast),
                ClusterMetadata.ADMIN_TIMEOUT).get(ClusterMetadata.ADMIN_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProducerIdAllocator.Unavailable("Interrupted while asking the controller for producer ids", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ProducerIdAllocator.Unavailable("The controller did not hand out producer ids: " + e, e);
        }
        if (!reply.accepted()) {
            throw new ProducerIdAllocator.Unavailable("The controller refused a producer id block: " + reply.error() + " "
                + reply.message(), null);
        }
        return reply.value();
    }

    /**
     * Per listener: its advertised.listeners entry when there is one; otherwise the listener as bound, so a
     * configured port 0 is advertised as the port actually chosen.
     */
    private static AdvertisedEndpoints advertisedEndpoint(ServerConfig config, NetworkServer network) {
        Map<String, ServerConfig.Listener> configured = config.advertisedByListener();
        Map<String, ServerConfig.Listener> advertised = new LinkedHashMap<>();
        List<ServerConfig.Endpoint> endpoints = config.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            ServerConfig.Endpoint listener = endpoints.get(i);
            ServerConfig.Listener explicit = configured.get(listener.name());
            advertised.put(listener.name(), explicit != null ? explicit
                : new ServerConfig.Listener(listener.host(), network.boundAddresses().get(i).getPort()));
        }
        return new AdvertisedEndpoints(advertised);
    }

    /** Opens the logs (recovering them if needed) and starts listening. */
    public static Broker start(ServerConfig config) throws InterruptedException {
        long started = System.nanoTime();
        Broker broker = new Broker(config);
        try {
            broker.startExtensions();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Tributary broker {} of cluster {} started in {} ms, listening on {}", broker.identity.nodeId(),
            broker.identity.clusterId(), (System.nanoTime() - started) / 1_000_000, broker.boundAddresses());
        return broker;
    }

    private void startExtensions() {
        for (BrokerExtension extension : extensions) {
            BrokerExtension.MetricsRoutes routes = extension != metricsServedBy ? null
                : (method, path) -> MetricsEndpoint.answer(method, path, metrics::scrape, () -> !closed, this::isReady);
            BrokerExtension.Running started = extension.start(this, routes);
            running.add(started);
            if (extension == metricsServedBy) {
                extensionMetricsAddress = started.address();
            }
        }
    }

    private boolean isReady() {
        return !closed && groupsLoaded.isDone() && !groupsLoaded.isCompletedExceptionally()
            && transactionsLoaded.isDone() && !transactionsLoaded.isCompletedExceptionally();
    }

    public List<InetSocketAddress> boundAddresses() {
        return network.boundAddresses();
    }

    public LogManager logs() {
        return logs;
    }

    public ClusterIdentity identity() {
        return identity;
    }

    public ServerConfig config() {
        return config;
    }

    /** The parked fetches (long polls), for metrics and tests. */
    public FetchPurgatory fetchPurgatory() {
        return fetchPurgatory;
    }

    /**
     * This broker's replicas: the metadata side connects it ({@link ReplicaManager#connect}) and feeds it assignments
     * ({@link ReplicaManager#apply}); without any, every partition is led here alone.
     */
    public ReplicaManager replicaManager() {
        return replicaManager;
    }

    /** The acks=all produces waiting for replication, for metrics and tests. */
    public ProducePurgatory producePurgatory() {
        return producePurgatory;
    }

    /** The group coordinator, for tests and tools. */
    public GroupCoordinator groupCoordinator() {
        return groupCoordinator;
    }

    /**
     * Completes when the partitions of {@code __consumer_offsets} this broker led at start-up are loaded (exceptionally
     * if one cannot be); at once when the topic did not exist then (it is created on the first FindCoordinator).
     */
    public CompletableFuture<Void> groupsLoaded() {
        return groupsLoaded;
    }

    /**
     * Completes once {@code __consumer_offsets} exists here and the partitions this broker led when the group
     * coordinator started are loaded: at start-up for an existing topic, else after the first FindCoordinator for a
     * group created it. For tests and tools that need the topic itself.
     */
    public CompletableFuture<Void> offsetsTopicLoaded() {
        return offsetsTopicLoaded;
    }

    /** This broker's view of the cluster metadata (image, controller, quorum). */
    public ClusterMetadata cluster() {
        return cluster;
    }

    /** This broker's partition roles as the metadata assigns them (the replication side's seam). */
    public PartitionRoles partitionRoles() {
        return roles;
    }

    /** Where other brokers are, from their registrations. */
    public BrokerDirectory brokerDirectory() {
        return brokerDirectory;
    }

    /** Where a partition leader sends ISR changes. */
    public IsrChangeChannel isrChanges() {
        return isrChanges;
    }

    /** The transaction coordinator, for tests and tools. */
    public TransactionCoordinator transactionCoordinator() {
        return transactionCoordinator;
    }

    /** Completes when every partition of {@code __transaction_state} is loaded. */
    public CompletableFuture<Void> transactionsLoaded() {
        return transactionsLoaded;
    }

    /** The broker's meters. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** Where /metrics and /health are served, or null when metrics.listener is empty. */
    public InetSocketAddress metricsAddress() {
        return metricsEndpoint != null ? metricsEndpoint.address() : extensionMetricsAddress;
    }

    /** The incremental fetch sessions (KIP-227), for metrics and tests. */
    public FetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    /** Graceful stop: no new connections or requests, then flush, checkpoints and the clean-shutdown marker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping broker {}", identity.nodeId());
        for (BrokerExtension.Running r : running) {
            r.close();
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        if (heartbeats != null) {
            if (config.quorumConfig().isCluster()) {
                heartbeats.controlledShutdown(java.time.Duration.ofSeconds(5)); // leadership moves before we stop
            } else {
                heartbeats.close(); // no other broker could take over
            }
        }
        network.close();
        // The quorum member stops alongside the rest (nothing below needs it, and no request comes in any more): most
        // of its stop is waiting for Ratis' log worker, which notices the stop only at its next one-second poll.
        CompletableFuture<Void> quorumStopped = new CompletableFuture<>();
        Thread quorumStopper = new Thread(() -> {
            try {
                cluster.close(); // its files are its own: nothing else touches them
            } catch (RuntimeException e) {
                log.warn("Stopping the metadata quorum member of broker {} failed", identity.nodeId(), e);
            } finally {
                quorumStopped.complete(null);
            }
        }, "metadata-quorum-stop");
        quorumStopper.setDaemon(true);
        quorumStopper.start();
        fetchPurgatory.close(); // after the connections: whatever still waits has no one to answer
        producePurgatory.close();
        replicaManager.close(); // its fetchers stop appending, and the high watermarks are checkpointed, before the logs close
        transactionCoordinator.close(); // after the connections; before the group coordinator its markers go through
        if (markerChannel != null) {
            markerChannel.close();
        }
        if (produceCheck != null) {
            produceCheck.close();
        }
        groupCoordinator.close(); // after the connections too; its last appends finish before the logs close
        ioExecutor.shutdown();
        try {
            ioExecutor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close(); // it writes to the logs; the quorum's later images are dropped
        logs.close(); // each log snapshots its producer state as it closes
        quorumStopped.join(); // stopped when close returns: a restart in this process may take its files at once
        metrics.close();
        log.info("Broker {} stopped cleanly", identity.nodeId());
        stopped.complete(null);
    }
}
