package io.tributary.console.api;

import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.ByteArrayDeserializer;
import io.tributary.clients.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The console's connections to the cluster: one admin and one producer, opened on first use and shared by all
 * requests (both are thread-safe), and a fresh group-less consumer per browse or tail (a consumer is not
 * thread-safe and each browse positions its own). Timeouts are short: a person is waiting.
 */
final class ClusterClients implements AutoCloseable {
    static final int API_TIMEOUT_MS = 15_000;

    private final Map<String, Object> common;
    private TributaryAdmin admin;
    private TributaryProducer<byte[], byte[]> producer;
    private boolean closed;

    ClusterClients(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("request.timeout.ms", 10_000);
        c.putAll(overrides);
        this.common = Map.copyOf(c);
    }

    String bootstrapServers() {
        return (String) common.get("bootstrap.servers");
    }

    synchronized TributaryAdmin admin() {
        if (closed) {
            throw new IllegalStateException("The console is stopping");
        }
        if (admin == null) {
            Map<String, Object> c = new HashMap<>(common);
            c.put("client.id", "tributary-console-admin");
            c.putIfAbsent("default.api.timeout.ms", API_TIMEOUT_MS);
            admin = TributaryAdmin.create(c);
        }
        return admin;
    }

    synchronized TributaryProducer<byte[], byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("The console is stopping");
        }
        if (producer == null) {
            Map<String, Object> c = new HashMap<>(common);
            c.put("client.id", "tributary-console-producer");
            c.put("linger.ms", 0L);
            c.put("max.block.ms", 10_000L);
            c.put("delivery.timeout.ms", 15_000);
            producer = new TributaryProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A consumer without a group, for assign and seek; the caller closes it. */
    TributaryConsumer<byte[], byte[]> consumer(String purpose) {
        Map<String, Object> c = new HashMap<>(common);
        c.put("client.id", "tributary-console-" + purpose);
        c.put("enable.auto.commit", false);
        c.put("auto.offset.reset", "earliest");
        c.put("default.api.timeout.ms", API_TIMEOUT_MS);
        return new TributaryConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits for an admin operation; its failure becomes the ApiProblem the browser sees. */
    <T> T await(CompletableFuture<T> future) {
        try {
            return admin().await(future);
        } catch (RuntimeException e) {
            throw KafkaErrors.problem(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close();
        }
    }
}
