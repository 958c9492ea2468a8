package io.tributary.server.admin;

import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on Admin futures with a deadline, and id conversions between Kafka and the broker. */
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

    static Uuid kafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
