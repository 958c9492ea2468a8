package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.server.metadata.InternalTopics;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on Admin futures with a deadline, id conversions between Kafka and the broker, the topics clients made. */
final class AdminTestSupport {
    static final long TIMEOUT_SECONDS = 20;

    private AdminTestSupport() {
    }

    static <T> T await(KafkaFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The exception the future failed with; fails the test if it succeeds or times out. */
    static Throwable failure(KafkaFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("Expected a failure but got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** The topics clients made, in name order: every topic but the broker's internal ones (__consumer_offsets). */
    static List<String> userTopics(LogManager logs) {
        return logs.topics().keySet().stream().filter(name -> !InternalTopics.isInternal(name)).sorted().toList();
    }

    static Uuid kafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
