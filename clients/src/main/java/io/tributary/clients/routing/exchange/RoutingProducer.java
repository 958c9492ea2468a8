package io.tributary.clients.routing.exchange;

import io.tributary.clients.Headers;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.RoutingHeaders;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Exchange-style routing over a {@link TributaryProducer}: a send carries a routing key and goes to every topic
 * whose {@link Binding} matches it (direct, AMQP topic pattern, fanout), once per topic.
 *
 * <p>Each copy is an ordinary record of its destination: the record key given (partitioned by it, so a key's
 * records stay in order within each destination, and ordered topics keep it through growth) and a
 * {@link RoutingHeaders#ROUTING_KEY} header holding the routing key, which consumer filters match. A send matching
 * no binding goes nowhere and returns an empty list.
 *
 * <p>Bindings can change at any time ({@link #bind}, {@link #unbind}, {@link #setBindings}, {@link #reload}); a send
 * uses the bindings as they were when it started, never a mix. Thread-safe like the producer; it does not own the
 * producer (close that when done).
 */
public final class RoutingProducer<K, V> {
    private final TributaryProducer<K, V> producer;
    private final AtomicReference<Bindings> bindings;

    public RoutingProducer(TributaryProducer<K, V> producer, Bindings bindings) {
        this.producer = producer;
        this.bindings = new AtomicReference<>(bindings);
    }

    /**
     * Sends {@code key}/{@code value} to every destination bound to {@code routingKey}.
     *
     * @return one future per destination, in the bindings' order; empty when nothing matched
     * @throws IllegalArgumentException for a null routing key
     */
    public List<CompletableFuture<RecordMetadata>> send(String routingKey, K key, V value) {
        if (routingKey == null) {
            throw new IllegalArgumentException("A routed send needs a routing key");
        }
        Set<String> destinations = bindings.get().destinations(routingKey);
        byte[] routingKeyBytes = routingKey.getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>(destinations.size());
        for (String topic : destinations) {
            Headers headers = new Headers().add(RoutingHeaders.ROUTING_KEY, routingKeyBytes);
            sent.add(producer.send(new ProducerRecord<>(topic, null, null, key, value, headers)));
        }
        return sent;
    }

    public Bindings bindings() {
        return bindings.get();
    }

    public void setBindings(Bindings replacement) {
        bindings.set(replacement);
    }

    public void bind(Binding binding) {
        update(b -> b.with(binding));
    }

    public void unbind(Binding binding) {
        update(b -> b.without(binding));
    }

    /** Replaces the bindings with those of a bindings file; on a bad file the bindings stay as they were. */
    public void reload(Path file) {
        bindings.set(Bindings.load(file));
    }

    private void update(UnaryOperator<Bindings> change) {
        bindings.updateAndGet(change);
    }

    /** Flushes the producer, so every send made so far has completed. */
    public void flush() {
        producer.flush();
    }
}
