package io.tributary.server.replica;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;

/**
 * How this broker replicates, under Kafka's key names ({@link #KEYS}): its follower fetchers (how many, how long a
 * fetch waits at the leader, how much it asks for, how long a failed partition or connection backs off) and its leader
 * side (how long a follower may lag before it leaves the in-sync set, how often the high watermarks are checkpointed).
 * Validated once, when the broker's configuration is parsed.
 *
 * @param brokerId                  this broker's id ({@code node.id}): the replica id its fetchers send
 * @param numReplicaFetchers        fetcher threads per source broker; a partition always uses the same one
 * @param replicaLagTimeMaxMs       a follower that has not caught up with the leader's log end for this long leaves the ISR
 * @param fetchWaitMaxMs            max_wait_ms of a follower fetch: how long the leader may park it
 * @param fetchMaxBytes             partition_max_bytes of a follower fetch
 * @param fetchResponseMaxBytes     max_bytes of a follower fetch
 * @param fetchBackoffMs            pause after a fetch error before the partition (or connection) is tried again
 * @param socketTimeoutMs           a fetcher's read timeout on its connection to the leader (above fetchWaitMaxMs)
 * @param highWatermarkCheckpointIntervalMs how often replication-offset-checkpoint is rewritten
 */
public record ReplicationSettings(int brokerId, int numReplicaFetchers, long replicaLagTimeMaxMs, int fetchWaitMaxMs,
                                  int fetchMaxBytes, int fetchResponseMaxBytes, long fetchBackoffMs, int socketTimeoutMs,
                                  long highWatermarkCheckpointIntervalMs) {

    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<Integer> NUM_REPLICA_FETCHERS = OWN.add(ConfigKey.intKey("num.replica.fetchers")
        .defaultValue(1).inRange(1, 64)
        .documentation("Follower fetcher threads per leader broker; each fetches its partitions over one connection.").build());
    public static final ConfigKey<Long> REPLICA_LAG_TIME_MAX_MS = OWN.add(ConfigKey.longKey("replica.lag.time.max.ms")
        .defaultValue(30_000L).inRange(1, Long.MAX_VALUE)
        .documentation("A follower that has not fetched up to the leader's log end offset for this long is removed from "
            + "the in-sync replicas.").build());
    public static final ConfigKey<Integer> REPLICA_FETCH_WAIT_MAX_MS = OWN.add(ConfigKey.intKey("replica.fetch.wait.max.ms")
        .defaultValue(500).inRange(0, Integer.MAX_VALUE)
        .documentation("How long the leader may hold a follower's fetch when there is nothing new; below "
            + "replica.lag.time.max.ms.").build());
    public static final ConfigKey<Integer> REPLICA_FETCH_MAX_BYTES = OWN.add(ConfigKey.intKey("replica.fetch.max.bytes")
        .defaultValue(1024 * 1024).inRange(0, Integer.MAX_VALUE)
        .documentation("Record bytes a follower asks for per partition (a first batch larger than this still comes whole).")
        .build());
    public static final ConfigKey<Integer> REPLICA_FETCH_RESPONSE_MAX_BYTES = OWN.add(ConfigKey.intKey(
            "replica.fetch.response.max.bytes")
        .defaultValue(10 * 1024 * 1024).inRange(0, Integer.MAX_VALUE)
        .documentation("Record bytes a follower asks for per fetch, over all its partitions.").build());
    public static final ConfigKey<Integer> REPLICA_FETCH_BACKOFF_MS = OWN.add(ConfigKey.intKey("replica.fetch.backoff.ms")
        .defaultValue(1000).inRange(0, Integer.MAX_VALUE)
        .documentation("Pause after a follower fetch fails (a connection error, or a partition error) before trying again.")
        .build());
    public static final ConfigKey<Integer> REPLICA_SOCKET_TIMEOUT_MS = OWN.add(ConfigKey.intKey("replica.socket.timeout.ms")
        .defaultValue(30_000).inRange(1, Integer.MAX_VALUE)
        .documentation("How long a follower waits for the leader's answer; at least replica.fetch.wait.max.ms.").build());
    public static final ConfigKey<Long> REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = OWN.add(ConfigKey.longKey(
            "replica.high.watermark.checkpoint.interval.ms")
        .defaultValue(5000L).inRange(1, Long.MAX_VALUE)
        .documentation("How often each log directory's replication-offset-checkpoint (every partition's high watermark) "
            + "is rewritten.").build());

    /** Every replication key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    public ReplicationSettings {
        if (fetchWaitMaxMs >= socketTimeoutMs) {
            throw new IllegalArgumentException("replica.socket.timeout.ms (" + socketTimeoutMs
                + ") must be above replica.fetch.wait.max.ms (" + fetchWaitMaxMs + ")");
        }
        if (fetchWaitMaxMs >= replicaLagTimeMaxMs) {
            throw new IllegalArgumentException("replica.fetch.wait.max.ms (" + fetchWaitMaxMs
                + ") must be below replica.lag.time.max.ms (" + replicaLagTimeMaxMs + ")");
        }
    }

    /** The settings of broker {@code brokerId} from its parsed configuration. */
    public static ReplicationSettings of(int brokerId, ConfigValues values) {
        return new ReplicationSettings(brokerId, values.get(NUM_REPLICA_FETCHERS), values.get(REPLICA_LAG_TIME_MAX_MS),
            values.get(REPLICA_FETCH_WAIT_MAX_MS), values.get(REPLICA_FETCH_MAX_BYTES), values.get(REPLICA_FETCH_RESPONSE_MAX_BYTES),
            values.get(REPLICA_FETCH_BACKOFF_MS), values.get(REPLICA_SOCKET_TIMEOUT_MS),
            values.get(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS));
    }
}
