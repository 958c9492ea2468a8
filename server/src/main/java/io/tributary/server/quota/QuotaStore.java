package io.tributary.server.quota;

import java.util.List;
import java.util.Map;

/**
 * The client quotas of the cluster, by entity and key ({@code producer_byte_rate} ...). An interface so the metadata
 * quorum can hold them once brokers form a cluster; today {@link FileQuotaStore} keeps them in a file of the broker.
 * Reads return an immutable snapshot; changes are applied as one batch.
 */
public interface QuotaStore {
    /** Every entity with its quotas, immutable. */
    Map<QuotaEntity, Map<String, Double>> all();

    /** One change: {@code value} null removes the key. */
    record Change(QuotaEntity entity, String key, Double value) {
    }

    /** Applies {@code changes} together (after a crash all or none); listeners run after the change is visible. */
    void apply(List<Change> changes);

    /** Runs {@code listener} after every change. */
    void onChange(Runnable listener);
}
