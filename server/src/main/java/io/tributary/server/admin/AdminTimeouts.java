package io.tributary.server.admin;

import io.tributary.server.cluster.ClusterMetadata;

import java.time.Duration;

/** The wait of an admin request that goes through the controller: its own timeout_ms, within sane bounds. */
final class AdminTimeouts {
    private AdminTimeouts() {
    }

    /** {@code timeoutMs} clamped to [1 s, {@link ClusterMetadata#ADMIN_TIMEOUT}]: zero or less means the default. */
    static Duration bounded(int timeoutMs) {
        if (timeoutMs <= 0) {
            return ClusterMetadata.ADMIN_TIMEOUT;
        }
        return Duration.ofMillis(Math.max(1_000, Math.min(timeoutMs, ClusterMetadata.ADMIN_TIMEOUT.toMillis())));
    }
}
