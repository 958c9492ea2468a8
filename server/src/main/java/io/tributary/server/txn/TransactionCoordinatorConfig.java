package io.tributary.server.txn;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Validator;
import io.tributary.log.InvalidConfigException;

import java.util.Map;

/**
 * Settings of the transaction coordinator, under Apache Kafka's broker config names and with Kafka's defaults,
 * validated once when built ({@link #KEYS}, which the broker's configuration composes).
 *
 * @param stateTopicPartitions     {@code transaction.state.log.num.partitions} (50): used when {@code __transaction_state}
 *                                 is created; an existing topic keeps its own count
 * @param stateTopicSegmentBytes   {@code transaction.state.log.segment.bytes} (104857600)
 * @param loadBufferBytes          {@code transaction.state.log.load.buffer.size} (5242880): bytes read per step at load
 * @param maxTimeoutMs             {@code transaction.max.timeout.ms} (900000): the longest {@code transaction.timeout.ms}
 *                                 a producer may ask for (INVALID_TRANSACTION_TIMEOUT beyond)
 * @param abortTimedOutIntervalMs  {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} (10000): how often
 *                                 transactions older than their timeout are looked for and aborted
 * @param idExpirationMs           {@code transactional.id.expiration.ms} (604800000): an id without a transaction for this
 *                                 long is forgotten (a tombstone is written)
 * @param removeExpiredIntervalMs  {@code transaction.remove.expired.transaction.cleanup.interval.ms} (3600000)
 * @param stateTopicReplicationFactor {@code transaction.state.log.replication.factor} (3): replicas per partition of
 *                                 {@code __transaction_state} when the controller creates it; capped at the live brokers
 *                                 unless set explicitly, as {@code offsets.topic.replication.factor}
 * @param stateTopicMinIsr         {@code transaction.state.log.min.isr} (2): the topic's {@code min.insync.replicas}
 *                                 (at most its replication factor)
 */
public record TransactionCoordinatorConfig(int stateTopicPartitions, int stateTopicSegmentBytes, int loadBufferBytes,
                                           int maxTimeoutMs, int abortTimedOutIntervalMs, int idExpirationMs,
                                           int removeExpiredIntervalMs, int stateTopicReplicationFactor, int stateTopicMinIsr) {
    public static final ConfigKey<Integer> STATE_LOG_NUM_PARTITIONS = ConfigKey.intKey("transaction.state.log.num.partitions")
        .defaultValue(50).validator(Validator.atLeast(1))
        .documentation("Partitions of " + TransactionCoordinator.STATE_TOPIC + " when it is created; an existing topic keeps its own count.")
        .build();
    public static final ConfigKey<Integer> STATE_LOG_SEGMENT_BYTES = ConfigKey.intKey("transaction.state.log.segment.bytes")
        .defaultValue(104_857_600).validator(Validator.atLeast(1024))
        .documentation("segment.bytes of " + TransactionCoordinator.STATE_TOPIC + " when it is created.").build();
    public static final ConfigKey<Integer> STATE_LOG_LOAD_BUFFER_SIZE = ConfigKey.intKey("transaction.state.log.load.buffer.size")
        .defaultValue(5_242_880).validator(Validator.atLeast(1))
        .documentation("Bytes read per step while a partition of " + TransactionCoordinator.STATE_TOPIC + " is loaded.").build();
    public static final ConfigKey<Integer> MAX_TIMEOUT_MS = ConfigKey.intKey("transaction.max.timeout.ms")
        .defaultValue(900_000).validator(Validator.atLeast(1))
        .documentation("The longest transaction.timeout.ms a producer may ask for; InitProducerId with a longer one is refused"
            + " (INVALID_TRANSACTION_TIMEOUT).").build();
    public static final ConfigKey<Integer> ABORT_TIMED_OUT_INTERVAL_MS = ConfigKey.intKey(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms").defaultValue(10_000).validator(Validator.atLeast(1))
        .documentation("How often the coordinator looks for transactions open longer than their timeout and aborts them"
            + " (bumping the producer epoch, so the producer is fenced).").build();
    public static final ConfigKey<Integer> ID_EXPIRATION_MS = ConfigKey.intKey("transactional.id.expiration.ms")
        .defaultValue(604_800_000).validator(Validator.atLeast(1))
        .documentation("A transactional id with no transaction open and no update for this long is forgotten.").build();
    public static final ConfigKey<Integer> REMOVE_EXPIRED_INTERVAL_MS = ConfigKey.intKey(
            "transaction.remove.expired.transaction.cleanup.interval.ms").defaultValue(3_600_000).validator(Validator.atLeast(1))
        .documentation("How often expired transactional ids are looked for.").build();

    public static final ConfigKey<Integer> STATE_LOG_REPLICATION_FACTOR = ConfigKey.intKey("transaction.state.log.replication.factor")
        .defaultValue(3).validator(Validator.inRange(1, Short.MAX_VALUE))
        .documentation("Replicas per partition of " + TransactionCoordinator.STATE_TOPIC + " when it is created; when not set"
            + " explicitly, the live brokers at creation cap it (a single broker gets 1).").build();
    public static final ConfigKey<Integer> STATE_LOG_MIN_ISR = ConfigKey.intKey("transaction.state.log.min.isr")
        .defaultValue(2).validator(Validator.atLeast(1))
        .documentation("min.insync.replicas of " + TransactionCoordinator.STATE_TOPIC + " when it is created, at most its"
            + " replication factor: a state change is acknowledged only once this many replicas hold it.").build();

    /** Every key this record reads, in name order (the order of the reference). */
    public static final ConfigDefinition KEYS = ConfigDefinition.of(ABORT_TIMED_OUT_INTERVAL_MS, MAX_TIMEOUT_MS,
        REMOVE_EXPIRED_INTERVAL_MS, STATE_LOG_LOAD_BUFFER_SIZE, STATE_LOG_MIN_ISR, STATE_LOG_NUM_PARTITIONS,
        STATE_LOG_REPLICATION_FACTOR, STATE_LOG_SEGMENT_BYTES, ID_EXPIRATION_MS);

    public TransactionCoordinatorConfig {
        InvalidConfigException.refusing(() -> {
            STATE_LOG_NUM_PARTITIONS.validate(stateTopicPartitions);
            STATE_LOG_SEGMENT_BYTES.validate(stateTopicSegmentBytes);
            STATE_LOG_LOAD_BUFFER_SIZE.validate(loadBufferBytes);
            MAX_TIMEOUT_MS.validate(maxTimeoutMs);
            ABORT_TIMED_OUT_INTERVAL_MS.validate(abortTimedOutIntervalMs);
            ID_EXPIRATION_MS.validate(idExpirationMs);
            STATE_LOG_REPLICATION_FACTOR.validate(stateTopicReplicationFactor);
            STATE_LOG_MIN_ISR.validate(stateTopicMinIsr);
            return REMOVE_EXPIRED_INTERVAL_MS.validate(removeExpiredIntervalMs);
        });
    }

    /** Kafka's defaults. */
    public static TransactionCoordinatorConfig defaults() {
        return fromProperties(Map.of());
    }

    /** Reads the coordinator's keys from broker properties; other keys are ignored, missing ones take Kafka's default. */
    public static TransactionCoordinatorConfig fromProperties(Map<String, String> props) {
        return InvalidConfigException.refusing(() -> from(KEYS.parse(props, ConfigDefinition.UnknownKeys.IGNORE)));
    }

    /** The settings from a parsed configuration that defines {@link #KEYS}. */
    public static TransactionCoordinatorConfig from(ConfigValues values) {
        return new TransactionCoordinatorConfig(values.get(STATE_LOG_NUM_PARTITIONS), values.get(STATE_LOG_SEGMENT_BYTES),
            values.get(STATE_LOG_LOAD_BUFFER_SIZE), values.get(MAX_TIMEOUT_MS), values.get(ABORT_TIMED_OUT_INTERVAL_MS),
            values.get(ID_EXPIRATION_MS), values.get(REMOVE_EXPIRED_INTERVAL_MS), values.get(STATE_LOG_REPLICATION_FACTOR),
            values.get(STATE_LOG_MIN_ISR));
    }
}
