package io.tributary.log;

import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What a {@link PartitionLog} gets from the broker around it, besides its directory and topic settings.
 *
 * @param clock                  time for segment ages, append times, flush.ms and producer expiry
 * @param background             runs the work a roll sets off (the fsync of the sealed segment, then the producer
 *                               snapshot), off the appending thread; {@code Runnable::run} does it inline
 * @param listeners              told what happened to the log after its write lock is released (shared by a
 *                               {@link LogManager}'s logs)
 * @param producerIdExpirationMs {@code producer.id.expiration.ms}: idempotent producers idle this long are forgotten
 * @param delayed                runs the deletion of a removed segment's {@code .deleted} files after
 *                               {@code file.delete.delay.ms}; {@link DelayedTasks#AT_ONCE} deletes them at once
 */
public record LogContext(Clock clock, Executor background, LogListeners listeners, long producerIdExpirationMs,
                         DelayedTasks delayed) {
    /** Runs a task after a delay, off the caller's thread (the log manager's maintenance thread). */
    @FunctionalInterface
    public interface DelayedTasks {
        /** Deletes at once, on the caller's thread: a log without a scheduler behaves as with file.delete.delay.ms=0. */
        DelayedTasks AT_ONCE = (task, delayMs) -> task.run();

        void schedule(Runnable task, long delayMs);
    }

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    public LogContext {
        if (clock == null || background == null || listeners == null || delayed == null) {
            throw new IllegalArgumentException("A log needs a clock, a background executor and listeners");
        }
        if (producerIdExpirationMs <= 0) {
            throw new InvalidConfigException("Invalid value " + producerIdExpirationMs
                + " for configuration producer.id.expiration.ms: must be at least 1");
        }
    }

    /** Without a scheduler for delayed deletions: removed segments are deleted at once. */
    public LogContext(Clock clock, Executor background, LogListeners listeners, long producerIdExpirationMs) {
        this(clock, background, listeners, producerIdExpirationMs, DelayedTasks.AT_ONCE);
    }

    /** Only the producer snapshotter as listener, the default producer expiry. */
    public static LogContext of(Clock clock, Executor background) {
        return new LogContext(clock, background, LogListeners.withProducerSnapshots(background),
            DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }
}
