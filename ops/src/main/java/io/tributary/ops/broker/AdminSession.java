package io.tributary.ops.broker;

import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.ops.OperationFailedException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tributary's admin client for one command: opened after the reachability check (so an unreachable broker is
 * one sentence), operations waited for with the admin's own deadline, and every failure turned into the
 * operator's message (the admin's exceptions already name the topic or group and carry the broker's words).
 */
public final class AdminSession implements AutoCloseable {
    /** How long an operation may retry (a coordinator loading, a connection lost) before it fails. */
    static final int API_TIMEOUT_MS = 20_000;

    private final TributaryAdmin admin;

    private AdminSession(TributaryAdmin admin) {
        this.admin = admin;
    }

    public static AdminSession open(BrokerOptions options) {
        BootstrapServers servers = options.requireReachable();
        Map<String, Object> config = new HashMap<>(options.clientProperties());
        config.put("bootstrap.servers", servers.config());
        config.putIfAbsent("client.id", "tributary-cli");
        config.putIfAbsent("default.api.timeout.ms", API_TIMEOUT_MS);
        try {
            return new AdminSession(TributaryAdmin.create(config));
        } catch (ConfigException e) {
            throw new OperationFailedException("invalid client setting: " + e.getMessage(), e);
        }
    }

    public TributaryAdmin admin() {
        return admin;
    }

    /**
     * Waits for an admin operation.
     *
     * @throws OperationFailedException with the admin's message when it failed
     */
    public <T> T await(CompletableFuture<T> operation) {
        try {
            return admin.await(operation);
        } catch (TributaryException e) {
            throw new OperationFailedException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
