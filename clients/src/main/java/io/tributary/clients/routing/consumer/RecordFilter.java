package io.tributary.clients.routing.consumer;

import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.routing.RoutingHeaders;
import io.tributary.clients.routing.RoutingKeyPattern;
import io.tributary.protocol.record.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which records a {@link RoutingConsumer} hands to the application; the others are skipped, and committed past
 * like handled ones, so lag and replay stay right. Must be cheap and must not throw: it runs for every record.
 */
@FunctionalInterface
public interface RecordFilter {
    boolean accepts(ConsumerRecord<?, ?> record);

    /** Every record. */
    static RecordFilter all() {
        return record -> true;
    }

    /**
     * Records whose routing key matches {@code pattern} ({@link RoutingKeyPattern} syntax). The routing key is the
     * {@link RoutingHeaders#ROUTING_KEY} header when the record has one, else the record key: a String as it is, a
     * byte[] or ByteBuffer read as UTF-8, anything else by toString. A record with neither matches nothing.
     */
    static RecordFilter routingKey(String pattern) {
        RoutingKeyPattern compiled = RoutingKeyPattern.compile(pattern);
        return record -> compiled.matches(routingKeyOf(record));
    }

    /** Records whose last header named {@code name} exists and whose value (null for a null value) passes {@code test}. */
    static RecordFilter header(String name, Predicate<byte[]> test) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(test, "header test");
        return record -> {
            Header h = record.headers().lastHeader(name);
            return h != null && test.test(bytes(h.value()));
        };
    }

    /** Records whose last header named {@code name} has exactly the UTF-8 value {@code value}. */
    static RecordFilter headerEquals(String name, String value) {
        byte[] wanted = value.getBytes(StandardCharsets.UTF_8);
        return header(name, v -> v != null && java.util.Arrays.equals(v, wanted));
    }

    default RecordFilter and(RecordFilter other) {
        return record -> accepts(record) && other.accepts(record);
    }

    default RecordFilter or(RecordFilter other) {
        return record -> accepts(record) || other.accepts(record);
    }

    default RecordFilter negate() {
        return record -> !accepts(record);
    }

    /** The routing key filters match: the routing-key header, else the record key as text; null when there is neither. */
    static String routingKeyOf(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(RoutingHeaders.ROUTING_KEY);
        if (h != null && h.value() != null) {
            return StandardCharsets.UTF_8.decode(h.value().duplicate()).toString();
        }
        Object key = record.key();
        if (key == null) {
            return null;
        }
        if (key instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (key instanceof ByteBuffer b) {
            return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }
        return key.toString();
    }

    private static byte[] bytes(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] out = new byte[value.remaining()];
        value.duplicate().get(out);
        return out;
    }
}
