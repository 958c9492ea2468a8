package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * All partition logs of a broker, spread over one or more log directories, and the topics they belong to.
 *
 * <p>On disk, per log directory:
 * <pre>
 * &lt;dir&gt;/&lt;topic&gt;-&lt;partition&gt;/               one {@link PartitionLog} each
 * &lt;dir&gt;/recovery-point-offset-checkpoint     {@link OffsetCheckpointFile} of that directory's logs
 * &lt;dir&gt;/cleaner-offset-checkpoint           the same for the cleaner's first dirty offsets (compacted logs)
 * &lt;dir&gt;/.clean-shutdown                        present only after a clean stop; removed (durably) on start
 * </pre>
 * and in the first directory {@code topic-metadata/<topic>.properties}: the topic id, partition count and
 * config overrides, each file replaced atomically. Topic metadata is the source of truth: a topic is created
 * by writing its file first and its partition directories second, and deleted in the opposite order, so a
 * crash in between leaves at worst partition directories nobody owns, which are reported at start.
 *
 * <p>Background work on one maintenance thread: retention, {@code flush.ms} flushes, the fsync of rolled
 * segments and then the producer snapshot each roll took, and recovery-point and cleaner checkpoints. Every
 * log of the manager tells the same {@link LogListener}s what happened to it ({@link #addListener}). Compaction
 * runs on the {@link LogCleaner}'s own threads, started once a log with {@code cleanup.policy} "compact" exists
 * (and {@code log.cleaner.enable} is on).
 */
public final class LogManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogManager.class);

    public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    /** Kafka's name: per partition, the log cleaner's first dirty offset. */
    public static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
    public static final String CLEAN_SHUTDOWN_MARKER = ".clean-shutdown";
    public static final String TOPIC_METADATA_DIR = "topic-metadata";
    /** Kafka's rule: ASCII letters, digits, '.', '_' and '-', at most 249 characters. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    public static final int MAX_TOPIC_NAME_LENGTH = 249;

    private final LogManagerConfig config;
    private final Clock clock;
    private final Path metadataDir;
    private final ScheduledExecutorService maintenance;
    private final Map<String, TopicMetadata> topics = new ConcurrentHashMap<>();
    private final Map<UUID, TopicMetadata> topicsById = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Object topicLock = new Object();
    private volatile LogConfig defaults;
    private volatile boolean closed;
    private final LogCleaner cleaner;
    private final FlushStats flushStats = new FlushStats();
    private final LogListeners listeners;
    private final LogContext logContext;

    private LogManager(LogManagerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.defaults = config.defaults();
        this.metadataDir = config.logDirs().get(0).resolve(TOPIC_METADATA_DIR);
        ScheduledThreadPoolExecutor maintenanceThread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "log-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        // A delayed deletion still waiting at close is dropped, not awaited (its .deleted files go at the next
        // start): otherwise close would wait out file.delete.delay.ms (a minute by default).
        maintenanceThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.maintenance = maintenanceThread;
        this.cleaner = new LogCleaner(config.cleaner(), clock, logs::values);
        this.listeners = LogListeners.withProducerSnapshots(this::runInBackground);
        this.logContext = new LogContext(clock, this::runInBackground, listeners, config.producerIdExpirationMs(),
            this::scheduleDelayed);
    }

    /**
     * Runs {@code task} on the maintenance thread after {@code delayMs} (file.delete.delay.ms). Dropped when the manager
     * stops first: the {@code .deleted} files it would remove are then deleted at the next start.
     */
    private void scheduleDelayed(Runnable task, long delayMs) {
        try {
            maintenance.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("A delayed deletion failed; its .deleted files go at the next start", e);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.info("Stopping: a delayed deletion is left to the next start");
        }
    }

    /** Opens every known topic's logs, recovering those that were not shut down cleanly, and starts maintenance. */
    public static LogManager open(LogManagerConfig config, Clock clock) {
        LogManager manager = new LogManager(config, clock);
        try {
            manager.load();
        } catch (RuntimeException e) {
            manager.maintenance.shutdownNow();
            throw e;
        }
        manager.scheduleMaintenance();
        manager.startCleanerIfNeeded();
        return manager;
    }

    private void load() {
        Map<Path, Boolean> cleanByDir = new HashMap<>();
        Map<TopicPartition, Long> recoveryPoints = new HashMap<>();
        Map<TopicPartition, Long> cleanerCheckpoints = new HashMap<>();
        Map<TopicPartition, Path> existing = new HashMap<>();
        for (Path dir : config.logDirs()) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new LogStorageException("Cannot create log directory " + dir, e);
            }
            cleanByDir.put(dir, Files.exists(dir.resolve(CLEAN_SHUTDOWN_MARKER)));
            recoveryPoints.putAll(new OffsetCheckpointFile(dir.resolve(RECOVERY_POINT_CHECKPOINT)).read());
            cleanerCheckpoints.putAll(new OffsetCheckpointFile(dir.resolve(CLEANER_CHECKPOINT)).read());
            for (TopicPartition tp : partitionDirs(dir)) {
                Path previous = existing.put(tp, dir);
                if (previous != null) {
                    throw new LogStorageException("Partition " + tp + " has a directory in both " + previous + " and " + dir);
                }
            }
        }
        readTopicMetadata();

        List<Runnable> opens = new ArrayList<>();
        Map<Path, Integer> perDir = countPerDir(existing.values());
        for (TopicMetadata topic : topics.values()) {
            LogConfig topicConfig = defaults.withOverrides(topic.configOverrides());
            for (int p = 0; p < topic.partitionCount(); p++) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                Path dir = existing.remove(tp);
                boolean clean;
                if (dir == null) {
                    dir = leastLoaded(perDir);
                    clean = true; // a partition directory that never existed has nothing to recover
                } else {
                    clean = cleanByDir.get(dir);
                }
                Path partitionDir = dir.resolve(tp.dirName());
                long recoveryPoint = recoveryPoints.getOrDefault(tp, 0L);
                boolean hadCleanShutdown = clean;
                Long cleanedUpTo = cleanerCheckpoints.get(tp);
                opens.add(() -> {
                    PartitionLog opened = PartitionLog.open(partitionDir, tp, topicConfig, recoveryPoint, hadCleanShutdown,
                        logContext);
                    if (cleanedUpTo != null) {
                        opened.restoreCleanerCheckpoint(cleanedUpTo);
                    }
                    opened.recordFlushesIn(flushStats);
                    opened.fenceRouting(topic.partitionCount());
                    logs.put(tp, opened);
                });
            }
        }
        existing.forEach((tp, dir) ->
            log.warn("Partition directory {} belongs to no known topic; leaving it untouched", dir.resolve(tp.dirName())));
        runAll(opens);

        // From here on a crash must be treated as unclean: drop the markers durably before any append.
        for (Path dir : config.logDirs()) {
            try {
                if (Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN_MARKER))) {
                    CrashSafeFile.fsyncDirectory(dir);
                }
            } catch (IOException e) {
                throw new LogStorageException("Cannot remove clean-shutdown marker in " + dir, e);
            }
        }
        checkpointRecoveryPoints();
        log.info("Loaded {} partition logs of {} topics from {}", logs.size(), topics.size(), config.logDirs());
    }

    private void runAll(List<Runnable> tasks) {
        int threads = Math.max(1, Math.min(tasks.size(), config.logDirs().size() * config.recoveryThreadsPerDir()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "log-recovery");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogStorageException("Interrupted while opening logs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new LogStorageException("Cannot open logs", cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<TopicPartition> partitionDirs(Path dir) {
        List<TopicPartition> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path entry : entries) {
                TopicPartition tp = TopicPartition.parseDirName(entry.getFileName().toString());
                if (tp != null) {
                    found.add(tp);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot list log directory " + dir, e);
        }
        return found;
    }

    private Map<Path, Integer> countPerDir(Collection<Path> used) {
        Map<Path, Integer> counts = new HashMap<>();
        for (Path dir : config.logDirs()) {
            counts.put(dir, 0);
        }
        for (Path dir : used) {
            counts.merge(dir, 1, Integer::sum);
        }
        return counts;
    }

    /** The directory with the fewest partitions (first listed on a tie), counting the one chosen now. */
    private Path leastLoaded(Map<Path, Integer> counts) {
        Path best = null;
        for (Path dir : config.logDirs()) {
            if (best == null || counts.get(dir) < counts.get(best)) {
                best = dir;
            }
        }
        counts.merge(best, 1, Integer::sum);
        return best;
    }

    private void scheduleMaintenance() {
        maintenance.scheduleWithFixedDelay(this::enforceRetention, config.retentionCheckIntervalMs(),
            config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::flushDueLogs, config.flushCheckIntervalMs(),
            config.flushCheckIntervalMs(), TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::checkpointRecoveryPoints, config.checkpointIntervalMs(),
            config.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
    }

    // ---- topics

    /**
     * Creates a topic with {@code partitions} empty partition logs.
     *
     * @throws TopicException          invalid name or partition count, or the topic exists
     * @throws InvalidConfigException  an unknown config key or invalid value, naming both
     */
    public TopicMetadata createTopic(String name, int partitions, Map<String, String> configOverrides) {
        return createTopic(name, UUID.randomUUID(), partitions, configOverrides);
    }

    /**
     * Creates a topic under the id the cluster metadata gave it (so every broker's copy has the same id), with
     * {@code partitions} empty partition logs.
     *
     * @throws TopicException          invalid name or partition count, or the topic exists
     * @throws InvalidConfigException  an unknown config key or invalid value, naming both
     */
    public TopicMetadata createTopic(String name, UUID topicId, int partitions, Map<String, String> configOverrides) {
        validateTopicName(name);
        if (partitions < 1) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                "Number of partitions " + partitions + " for topic " + name + " must be at least 1");
        }
        LogConfig topicConfig = defaults.withOverrides(configOverrides);
        synchronized (topicLock) {
            ensureOpen();
            if (topics.containsKey(name)) {
                throw new TopicException(TopicException.Reason.TOPIC_ALREADY_EXISTS, "Topic " + name + " already exists");
            }
            TopicMetadata metadata = new TopicMetadata(name, topicId, partitions, topicConfig.overrides());
            writeTopicMetadata(metadata);
            remember(metadata);
            addPartitions(metadata, 0, topicConfig);
            startCleanerIfNeeded();
            return metadata;
        }
    }

    /**
     * Grows a topic to {@code newCount} partitions; existing partitions and their data are untouched.
     *
     * <p>An ordered topic ({@code routing.mode=ordered}) is fenced first: each existing partition in turn switches
     * its key check to {@code newCount} and gives its end offset at that instant (under its write lock, see
     * {@link PartitionLog#fenceRouting}); the partitions are fsynced up to there, so a crash cannot leave a log
     * shorter than its fence (which a consumer would wait for in vain); then the metadata file is written with the
     * new count and the fences, the new partition logs are created, and only then does the topic show the new count
     * (and its fences) to {@link #topic}. Between the switch and the new count becoming visible, an append whose key
     * now maps to a new partition is refused ({@link MisroutedRecordException}) — the writer retries once its
     * metadata shows the new partitions. If the fsync or the metadata write fails, the old partitions switch back:
     * that is safe because a jump-hash key that maps to an old partition under the new count maps to the same one
     * under the old count, so whatever was accepted meanwhile is also right for the old count.
     *
     * @throws TopicException unknown topic, or a count not larger than the current one
     */
    public TopicMetadata createPartitions(String name, int newCount) {
        synchronized (topicLock) {
            ensureOpen();
            TopicMetadata current = requireTopic(name);
            int oldCount = current.partitionCount();
            if (newCount <= oldCount) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "Topic " + name + " has "
                    + oldCount + " partitions; the new count " + newCount + " must be larger");
            }
            LogConfig topicConfig = defaults.withOverrides(current.configOverrides());
            TopicMetadata grown;
            if (topicConfig.routingMode == RoutingMode.ORDERED) {
                grown = fenceAndPersist(current, newCount);
            } else {
                grown = current.withPartitionCount(newCount);
                writeTopicMetadata(grown);
            }
            try {
                addPartitions(grown, oldCount, topicConfig);
            } finally {
                // The metadata file says newCount now; partitions that could not be created are created at the next start.
                remember(grown);
            }
            return grown;
        }
    }

    private TopicMetadata fenceAndPersist(TopicMetadata current, int newCount) {
        int oldCount = current.partitionCount();
        List<PartitionLog> fenced = new ArrayList<>(oldCount);
        try {
            long[] fences = new long[oldCount];
            for (int p = 0; p < oldCount; p++) {
                PartitionLog partitionLog = logs.get(new TopicPartition(current.name(), p));
                if (partitionLog == null) {
                    throw new LogStorageException("Partition " + p + " of ordered topic " + current.name()
                        + " has no open log; its fence cannot be taken");
                }
                fences[p] = partitionLog.fenceRouting(newCount);
                fenced.add(partitionLog);
            }
            for (PartitionLog partitionLog : fenced) {
                partitionLog.flush();
            }
            TopicMetadata grown = current.grownTo(newCount, current.routingFences().grownTo(oldCount, newCount, fences));
            writeTopicMetadata(grown);
            log.info("Ordered topic {} grows from {} to {} partitions; fences {}", current.name(), oldCount, newCount,
                grown.routingFences().growths().get(grown.routingFences().growths().size() - 1));
            return grown;
        } catch (RuntimeException e) {
            for (PartitionLog partitionLog : fenced) {
                partitionLog.fenceRouting(oldCount);
            }
            throw e;
        }
    }

    /**
     * Checks that {@code configOverrides} may replace a topic's overrides and returns the resulting settings:
     * every key known and valid, and {@code routing.mode} unchanged — it is fixed when the topic is created, since
     * changing it would re-map keys that earlier records were placed by.
     *
     * @throws TopicException         unknown topic
     * @throws InvalidConfigException an unknown key, an invalid value or a routing.mode change, naming the value
     */
    public LogConfig checkTopicConfig(String name, Map<String, String> configOverrides) {
        LogConfig topicConfig = defaults.withOverrides(configOverrides);
        TopicMetadata current = requireTopic(name);
        RoutingMode before = defaults.withOverrides(current.configOverrides()).routingMode;
        if (topicConfig.routingMode != before) {
            throw new InvalidConfigException("Invalid value " + topicConfig.routingMode.configName + " for configuration "
                + RoutingMode.CONFIG + ": topic " + name + " was created with " + RoutingMode.CONFIG + "=" + before.configName
                + ", which cannot change (keep " + RoutingMode.CONFIG + "=" + before.configName + " among its configs)");
        }
        return topicConfig;
    }

    /**
     * Replaces a topic's config overrides (an absent key reverts to the broker default) and applies them to
     * its live logs.
     *
     * @throws InvalidConfigException an unknown key, an invalid value or a routing.mode change; nothing changes then
     */
    public TopicMetadata setTopicConfig(String name, Map<String, String> configOverrides) {
        synchronized (topicLock) {
            ensureOpen();
            LogConfig topicConfig = checkTopicConfig(name, configOverrides);
            TopicMetadata updated = requireTopic(name).withConfigOverrides(topicConfig.overrides());
            writeTopicMetadata(updated);
            remember(updated);
            for (int p = 0; p < updated.partitionCount(); p++) {
                PartitionLog partitionLog = logs.get(new TopicPartition(name, p));
                if (partitionLog != null) {
                    partitionLog.updateConfig(topicConfig);
                }
            }
            startCleanerIfNeeded();
            return updated;
        }
    }

    /** Deletes a topic's metadata and then its partition logs; slices being sent stay readable until released. */
    public void deleteTopic(String name) {
        synchronized (topicLock) {
            ensureOpen();
            TopicMetadata metadata = requireTopic(name);
            try {
                Files.deleteIfExists(metadataFile(name));
                CrashSafeFile.fsyncDirectory(metadataDir);
            } catch (IOException e) {
                throw new LogStorageException("Cannot delete metadata of topic " + name, e);
            }
            topics.remove(name);
            topicsById.remove(metadata.topicId());
            for (int p = 0; p < metadata.partitionCount(); p++) {
                PartitionLog partitionLog = logs.remove(new TopicPartition(name, p));
                if (partitionLog != null) {
                    partitionLog.delete();
                }
            }
        }
    }

    private void addPartitions(TopicMetadata topic, int from, LogConfig topicConfig) {
        Map<Path, Integer> perDir = countPerDir(logs.values().stream().map(l -> l.dir().getParent()).toList());
        for (int p = from; p < topic.partitionCount(); p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            Path dir = leastLoaded(perDir);
            Path partitionDir = dir.resolve(tp.dirName());
            for (Path logDir : config.logDirs()) {
                Path stray = logDir.resolve(tp.dirName());
                if (Files.exists(stray)) {
                    // Left by a topic of the same name whose deletion was cut short: not this topic's data.
                    log.warn("Removing leftover directory {} before creating partition {}", stray, tp);
                    deleteRecursively(stray);
                }
            }
            PartitionLog created = PartitionLog.open(partitionDir, tp, topicConfig, 0, true, logContext);
            created.recordFlushesIn(flushStats);
            created.fenceRouting(topic.partitionCount());
            logs.put(tp, created);
        }
    }

    /** Starts the cleaner threads the first time a compacted log exists, unless log.cleaner.enable is off. */
    private void startCleanerIfNeeded() {
        if (!config.cleaner().enabled() || cleaner.isRunning() || closed) {
            return;
        }
        for (PartitionLog partitionLog : logs.values()) {
            if (partitionLog.config().compact) {
                cleaner.start();
                return;
            }
        }
    }

    /**
     * The log cleaner, for {@link LogCleaner#cleanNow} and its status; its threads run only once a compacted log
     * exists.
     */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /**
     * Tells {@code listener} what happens to every log of this manager from now on, including logs created later:
     * appends, rolls, truncations, deletions (see {@link LogListener}).
     */
    public void addListener(LogListener listener) {
        listeners.add(listener);
    }

    public void removeListener(LogListener listener) {
        listeners.remove(listener);
    }

    /**
     * The highest epoch any partition holds for {@code producerId}, or -1 when none has live state for it: the
     * fencing input of an idempotent producer's epoch bump.
     */
    public short latestProducerEpoch(long producerId) {
        short latest = -1;
        for (PartitionLog partitionLog : logs.values()) {
            latest = (short) Math.max(latest, partitionLog.producerEpoch(producerId));
        }
        return latest;
    }

    /** Count and total duration of the flushes of every log this manager opened, since it opened them. */
    public FlushStats flushStats() {
        return flushStats;
    }

    /** Runs a log's background task (the fsync after a roll) on the maintenance thread, or inline once it has stopped. */
    private void runInBackground(Runnable task) {
        try {
            maintenance.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot delete " + dir, e);
        }
    }

    /** @throws TopicException for a name Kafka would refuse, naming the rule broken */
    public static void validateTopicName(String name) {
        if (name == null || name.isEmpty()) {
            throw new TopicException(TopicException.Reason.INVALID_TOPIC, "Topic name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new TopicException(TopicException.Reason.INVALID_TOPIC, "Topic name cannot be '" + name + "'");
        }
        if (name.length() > MAX_TOPIC_NAME_LENGTH) {
            throw new TopicException(TopicException.Reason.INVALID_TOPIC, "Topic name of " + name.length()
                + " characters is longer than the maximum " + MAX_TOPIC_NAME_LENGTH);
        }
        if (!LEGAL_TOPIC.matcher(name).matches()) {
            throw new TopicException(TopicException.Reason.INVALID_TOPIC, "Topic name '" + name
                + "' may contain only ASCII letters, digits, '.', '_' and '-'");
        }
    }

    private TopicMetadata requireTopic(String name) {
        TopicMetadata metadata = topics.get(name);
        if (metadata == null) {
            throw new TopicException(TopicException.Reason.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + name + " does not exist");
        }
        return metadata;
    }

    private void remember(TopicMetadata metadata) {
        topics.put(metadata.name(), metadata);
        topicsById.put(metadata.topicId(), metadata);
    }

    /** A topic by name, or null. */
    public TopicMetadata topic(String name) {
        return topics.get(name);
    }

    /** A topic by id, or null. */
    public TopicMetadata topic(UUID topicId) {
        return topicsById.get(topicId);
    }

    public Map<String, TopicMetadata> topics() {
        return Map.copyOf(topics);
    }

    /** The log of a partition, or null when the topic or partition does not exist. */
    public PartitionLog log(TopicPartition tp) {
        return logs.get(tp);
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /** The effective settings of a topic (broker defaults plus its overrides). */
    public LogConfig topicConfig(String name) {
        return defaults.withOverrides(requireTopic(name).configOverrides());
    }

    public LogConfig defaults() {
        return defaults;
    }

    // ---- topic metadata files

    private Path metadataFile(String topic) {
        return metadataDir.resolve(topic + ".properties");
    }

    private void writeTopicMetadata(TopicMetadata metadata) {
        StringBuilder text = new StringBuilder("# Tributary topic metadata; replaced atomically, do not edit while running\n");
        text.append("topic.id=").append(metadata.topicId()).append('\n');
        text.append("partitions=").append(metadata.partitionCount()).append('\n');
        new TreeMap<>(metadata.configOverrides()).forEach((key, value) ->
            text.append("config.").append(key).append('=').append(escape(value)).append('\n'));
        if (!metadata.routingFences().isEmpty()) {
            text.append(RoutingFences.CONFIG).append('=').append(metadata.routingFences().toConfigValue()).append('\n');
        }
        try {
            Files.createDirectories(metadataDir);
        } catch (IOException e) {
            throw new LogStorageException("Cannot create " + metadataDir, e);
        }
        CrashSafeFile.write(metadataFile(metadata.name()), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private void readTopicMetadata() {
        if (!Files.isDirectory(metadataDir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(metadataDir, "*.properties")) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - ".properties".length());
                Properties properties = new Properties();
                properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                String id = properties.getProperty("topic.id");
                String partitions = properties.getProperty("partitions");
                if (id == null || partitions == null) {
                    throw new LogStorageException("Topic metadata " + file + " lacks topic.id or partitions");
                }
                Map<String, String> overrides = new HashMap<>();
                for (String key : properties.stringPropertyNames()) {
                    if (key.startsWith("config.")) {
                        overrides.put(key.substring("config.".length()), properties.getProperty(key));
                    }
                }
                RoutingFences fences = RoutingFences.parse(properties.getProperty(RoutingFences.CONFIG, ""));
                int count = Integer.parseInt(partitions);
                if (!fences.isEmpty() && fences.growths().get(fences.growths().size() - 1).partitionsAfter() != count) {
                    throw new LogStorageException("Topic metadata " + file + " has " + count + " partitions but its "
                        + RoutingFences.CONFIG + " end at " + fences.growths().get(fences.growths().size() - 1).partitionsAfter());
                }
                remember(new TopicMetadata(name, UUID.fromString(id), count, overrides, fences));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new LogStorageException("Cannot read topic metadata in " + metadataDir + ": " + e.getMessage(), e);
        }
    }

    // ---- maintenance

    /** Applies retention to every log now; returns segments deleted. */
    public int enforceRetention() {
        int deleted = 0;
        for (PartitionLog partitionLog : logs.values()) {
            try {
                deleted += partitionLog.deleteRetainedSegments();
            } catch (RuntimeException e) {
                log.error("Retention of {} failed", partitionLog.topicPartition(), e);
            }
        }
        return deleted;
    }

    private void flushDueLogs() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.flushIfDue();
            } catch (RuntimeException e) {
                log.error("Flush of {} failed", partitionLog.topicPartition(), e);
            }
        }
    }

    /** Writes each directory's recovery-point checkpoint and, for its compacted logs, its cleaner checkpoint. */
    public void checkpointRecoveryPoints() {
        Map<Path, Map<TopicPartition, Long>> recoveryByDir = new HashMap<>();
        Map<Path, Map<TopicPartition, Long>> cleanerByDir = new HashMap<>();
        for (Path dir : config.logDirs()) {
            recoveryByDir.put(dir, new HashMap<>());
            cleanerByDir.put(dir, new HashMap<>());
        }
        for (PartitionLog partitionLog : logs.values()) {
            Path dir = partitionLog.dir().getParent();
            recoveryByDir.computeIfAbsent(dir, d -> new HashMap<>()).put(partitionLog.topicPartition(), partitionLog.recoveryPoint());
            if (partitionLog.config().compact) {
                cleanerByDir.computeIfAbsent(dir, d -> new HashMap<>())
                    .put(partitionLog.topicPartition(), partitionLog.firstDirtyOffset());
            }
        }
        recoveryByDir.forEach((dir, points) -> new OffsetCheckpointFile(dir.resolve(RECOVERY_POINT_CHECKPOINT)).write(points));
        cleanerByDir.forEach((dir, points) -> new OffsetCheckpointFile(dir.resolve(CLEANER_CHECKPOINT)).write(points));
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogStorageException("Log manager is closed");
        }
    }

    /**
     * Clean stop: stops maintenance, flushes and closes every log, writes the recovery points and then the
     * clean-shutdown markers, so the next start skips recovery.
     */
    @Override
    public void close() {
        synchronized (topicLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleaner.close();
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Log maintenance did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PartitionLog partitionLog : logs.values()) {
            partitionLog.close();
        }
        checkpointRecoveryPoints();
        for (Path dir : config.logDirs()) {
            CrashSafeFile.write(dir.resolve(CLEAN_SHUTDOWN_MARKER), new byte[0]);
        }
    }
}
