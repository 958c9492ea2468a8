package io.tributary.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.tributary.server.produce.ProducePurgatory;
import io.tributary.server.replica.ReplicaManager;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupError;
import io.tributary.groups.ListedGroups;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.log.FlushStats;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.server.fetch.FetchPurgatory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker's meters, kept in a Prometheus registry and rendered in its text format by {@link #scrape()}.
 *
 * <p>Besides the request and traffic meters ({@link RequestMeters}, {@link TopicTraffic}) that the request
 * path updates, these are read when scraped: per partition {@code tributary_partition_log_start_offset},
 * {@code tributary_partition_log_end_offset} and {@code tributary_partition_log_size_bytes}; per group,
 * topic and partition with a committed offset {@code tributary_group_lag} (log end offset minus committed
 * offset, never negative) and {@code tributary_group_committed_offset}; {@code tributary_fetch_delayed}
 * (parked long polls); {@code tributary_log_flush_seconds} (count and sum of fsyncs);
 * {@code tributary_log_recovery_seconds} (opening and recovering the logs at start); counted as the logs
 * report them ({@link LogEventMeters}), {@code tributary_log_rolls_total}, {@code tributary_log_truncations_total}
 * and {@code tributary_log_retention_deletions_total}; and Micrometer's JVM,
 * GC, thread, class-loading, processor, file-descriptor and uptime meters.
 *
 * <p>Design note: the per-partition and per-group gauges are rebuilt from the logs and the coordinator on
 * each scrape (one {@link MultiGauge} each) instead of being registered as partitions and groups come
 * and go, so nothing on the produce, fetch or group paths has to tell metrics about them. Scrapes are
 * serialized; group state is read through the coordinator's own snapshots on its threads, waited for at
 * most {@link #GROUP_WAIT_MS} ms.
 */
public final class BrokerMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerMetrics.class);
    static final long GROUP_WAIT_MS = 2_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LogManager logs;
    private final RequestMeters requests;
    private final TopicTraffic traffic;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final MultiGauge logStartOffsets;
    private final MultiGauge logEndOffsets;
    private final MultiGauge logSizes;
    private final MultiGauge groupLag;
    private final MultiGauge groupCommitted;
    private volatile GroupCoordinator groups;

    /**
     * @param recoveryNanos how long opening (and, after an unclean stop, recovering) the logs took at start
     */
    public BrokerMetrics(LogManager logs, long recoveryNanos) {
        this.logs = logs;
        this.requests = new RequestMeters(registry);
        this.traffic = new TopicTraffic(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        logStartOffsets = MultiGauge.builder("tributary.partition.log.start.offset")
            .description("First offset still in the partition's log").register(registry);
        logEndOffsets = MultiGauge.builder("tributary.partition.log.end.offset")
            .description("Offset the next record appended to the partition gets").register(registry);
        logSizes = MultiGauge.builder("tributary.partition.log.size").baseUnit("bytes")
            .description("Bytes of the partition's segment files").register(registry);
        groupLag = MultiGauge.builder("tributary.group.lag")
            .description("Records a consumer group has yet to commit in a partition: log end offset minus committed offset")
            .register(registry);
        groupCommitted = MultiGauge.builder("tributary.group.committed.offset")
            .description("The consumer group's committed offset in the partition").register(registry);

        FlushStats flushes = logs.flushStats();
        FunctionTimer.builder("tributary.log.flush", flushes, FlushStats::count, FlushStats::totalNanos, TimeUnit.NANOSECONDS)
            .description("Fsyncs of partition logs (flush policies, explicit flushes, after a segment rolls)").register(registry);
        TimeGauge.builder("tributary.log.recovery", () -> recoveryNanos, TimeUnit.NANOSECONDS)
            .description("Time to open the logs at start, recovering those not shut down cleanly").register(registry);
        logs.addListener(new LogEventMeters(registry));
    }

    /** Registers the parked-fetch gauge. */
    public void watch(FetchPurgatory purgatory) {
        Gauge.builder("tributary.fetch.delayed", purgatory, FetchPurgatory::parkedCount)
            .description("Fetches parked waiting for data (long polls)").register(registry);
        FunctionCounter.builder("tributary.fetch.delayed.checks", purgatory, FetchPurgatory::checks)
            .description("Re-reads of parked fetches woken by appends").register(registry);
    }

    /** Reports consumer-group lag from {@code coordinator} at each scrape. */
    /** Replication: under-replicated and led partitions, accepted ISR changes, follower lag, delayed acks=all produces. */
    public void watch(ReplicaManager replicas, ProducePurgatory producePurgatory) {
        Gauge.builder("tributary.replication.under.replicated.partitions", replicas, ReplicaManager::underReplicatedPartitions)
            .description("Partitions led here whose ISR is smaller than their replica set").register(registry);
        Gauge.builder("tributary.replication.leader.partitions", replicas, ReplicaManager::leaderCount)
            .description("Partitions this broker leads under an assignment").register(registry);
        FunctionCounter.builder("tributary.replication.isr.shrinks", replicas, ReplicaManager::isrShrinks)
            .description("ISR shrinks the controller accepted from this broker").register(registry);
        FunctionCounter.builder("tributary.replication.isr.expands", replicas, ReplicaManager::isrExpands)
            .description("ISR expansions the controller accepted from this broker").register(registry);
        Gauge.builder("tributary.replication.follower.max.lag", replicas, ReplicaManager::maxFollowerLag)
            .description("The largest lag, in offsets, of a follower behind this leader's log end").register(registry);
        Gauge.builder("tributary.produce.delayed", producePurgatory, ProducePurgatory::waitingCount)
            .description("acks=all produces waiting for the high watermark").register(registry);
    }

    /**
     * The cluster as this broker's metadata image shows it: whether this node is the controller (the quorum leader),
     * the quorum leader's id, the last metadata log index applied here, the partitions with no leader (offline) and
     * the partitions being reassigned. Every broker reports the image counts, so they agree once the image has caught
     * up; Kafka reports offline partitions on the active controller only.
     */
    public void watch(ClusterMetadata cluster) {
        Gauge.builder("tributary.controller.active", cluster, c -> c.quorum().isLeader() ? 1 : 0)
            .description("1 on the node that is the controller (the metadata quorum leader), else 0").register(registry);
        Gauge.builder("tributary.quorum.leader.id", cluster, ClusterMetadata::activeControllerId)
            .description("The metadata quorum leader's node id, -1 while there is none").register(registry);
        Gauge.builder("tributary.quorum.applied.index", cluster, c -> c.quorum().lastAppliedIndex())
            .description("The last metadata log index this node applied").register(registry);
        Gauge.builder("tributary.cluster.offline.partitions", cluster, c -> countPartitions(c.image(), s -> !s.hasLeader()))
            .description("Partitions with no leader, as this node's metadata image shows").register(registry);
        Gauge.builder("tributary.cluster.reassigning.partitions", cluster,
                c -> countPartitions(c.image(), PartitionState::isReassigning))
            .description("Partitions with a reassignment in progress").register(registry);
    }

    private static int countPartitions(MetadataImage image, java.util.function.Predicate<PartitionState> condition) {
        int count = 0;
        for (TopicImage topic : image.topics()) {
            for (PartitionState state : topic.partitions()) {
                if (condition.test(state)) {
                    count++;
                }
            }
        }
        return count;
    }

    public void watch(GroupCoordinator coordinator) {
        this.groups = coordinator;
    }

    /** What the network layer reports to. */
    public RequestMeters requests() {
        return requests;
    }

    /** Per-topic traffic counters, for the produce and fetch wrappers. */
    public TopicTraffic traffic() {
        return traffic;
    }

    /** Every meter in Prometheus text format (version 0.0.4), partition and group gauges refreshed first. */
    public synchronized String scrape() {
        refreshPartitions();
        refreshGroups();
        return registry.scrape();
    }

    private void refreshPartitions() {
        List<MultiGauge.Row<?>> starts = new ArrayList<>();
        List<MultiGauge.Row<?>> ends = new ArrayList<>();
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        for (PartitionLog partitionLog : logs.allLogs()) {
            TopicPartition tp = partitionLog.topicPartition();
            Tags tags = Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
            starts.add(MultiGauge.Row.of(tags, partitionLog.logStartOffset()));
            ends.add(MultiGauge.Row.of(tags, partitionLog.logEndOffset()));
            sizes.add(MultiGauge.Row.of(tags, partitionLog.sizeInBytes()));
        }
        logStartOffsets.register(starts, true);
        logEndOffsets.register(ends, true);
        logSizes.register(sizes, true);
        traffic.retainOnly(logs.topics().keySet());
    }

    private void refreshGroups() {
        GroupCoordinator coordinator = groups;
        if (coordinator == null) {
            return;
        }
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> committed = new ArrayList<>();
        try {
            ListedGroups listed = coordinator.listGroups(Set.of()).get(GROUP_WAIT_MS, TimeUnit.MILLISECONDS);
            if (listed.error() != GroupError.NONE) {
                return; // still loading: keep the last rows
            }
            List<CompletableFuture<GroupSnapshot>> snapshots = new ArrayList<>();
            for (ListedGroups.Group group : listed.groups()) {
                snapshots.add(coordinator.snapshot(group.groupId()));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GROUP_WAIT_MS);
            for (CompletableFuture<GroupSnapshot> future : snapshots) {
                GroupSnapshot snapshot = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (snapshot == null) {
                    continue;
                }
                for (Map.Entry<String, Map<Integer, Long>> topic : snapshot.offsets().entrySet()) {
                    for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
                        PartitionLog partitionLog = logs.log(new TopicPartition(topic.getKey(), partition.getKey()));
                        if (partitionLog == null) {
                            continue;
                        }
                        Tags tags = Tags.of("group", snapshot.groupId(), "topic", topic.getKey(),
                            "partition", Integer.toString(partition.getKey()));
                        long offset = partition.getValue();
                        lags.add(MultiGauge.Row.of(tags, Math.max(0, partitionLog.logEndOffset() - offset)));
                        committed.add(MultiGauge.Row.of(tags, offset));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.warn("Consumer-group lag not refreshed: {}", e.toString());
            return;
        }
        groupLag.register(lags, true);
        groupCommitted.register(committed, true);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
