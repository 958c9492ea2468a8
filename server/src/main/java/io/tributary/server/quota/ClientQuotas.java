package io.tributary.server.quota;

import io.tributary.server.quota.QuotaEntity.Component;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces client quotas the way Kafka's ClientQuotaManager does. A request of user U with client id C takes the quota
 * of the first of these entities that has one for the quota type (Kafka's order):
 * <pre>
 * 1 user=U,client-id=C   2 user=U,client-id=&lt;default&gt;   3 user=U
 * 4 user=&lt;default&gt;,client-id=C   5 user=&lt;default&gt;,client-id=&lt;default&gt;   6 user=&lt;default&gt;
 * 7 client-id=C   8 client-id=&lt;default&gt;
 * </pre>
 * and is measured in the bucket that entity implies: per user and client id for 1, 2, 4, 5; per user for 3 and 6 (all of
 * the user's clients share it); per client id for 7 and 8. A value is recorded, and when the bucket's rate then exceeds
 * the quota the throttle is {@code (rate - quota) / quota * window}, at most one sample window (Kafka's bound).
 *
 * <p>Cost: with no quota of a type configured, {@link #recordAndGetThrottleMs} returns after one volatile read.
 * Resolutions are cached per (type, user, client id) and dropped when the store changes, with the buckets.
 */
public final class ClientQuotas {
    private final QuotaSettings settings;
    private final QuotaStore store;
    private final java.util.function.LongSupplier clock;
    private volatile State state;

    /** What a (user, client id) resolved to: the quota and its bucket, or no quota. */
    private record Resolution(double quota, String bucket) {
        static final Resolution NONE = new Resolution(Double.NaN, null);
    }

    private record Key(QuotaType type, String user, String clientId) {
    }

    /** One snapshot of the store with its resolutions and buckets. */
    private static final class State {
        final Map<QuotaEntity, Map<String, Double>> quotas;
        final Map<QuotaType, Boolean> configured = new EnumMap<>(QuotaType.class);
        final Map<Key, Resolution> resolutions = new ConcurrentHashMap<>();
        final Map<String, RateWindow> buckets = new ConcurrentHashMap<>();

        State(Map<QuotaEntity, Map<String, Double>> quotas) {
            this.quotas = quotas;
            for (QuotaType type : QuotaType.values()) {
                configured.put(type, quotas.values().stream().anyMatch(values -> values.containsKey(type.key)));
            }
        }
    }

    public ClientQuotas(QuotaSettings settings, QuotaStore store, java.util.function.LongSupplier clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.state = new State(store.all());
        store.onChange(() -> state = new State(store.all()));
    }

    public QuotaStore store() {
        return store;
    }

    /** Whether any entity has a quota of {@code type}. */
    public boolean enforces(QuotaType type) {
        return state.configured.get(type);
    }

    /**
     * Records {@code value} (bytes, or nanoseconds of handling for REQUEST) for the client and returns how long it must
     * be throttled, 0 when it is within its quota or has none.
     */
    public long recordAndGetThrottleMs(QuotaType type, String user, String clientId, double value) {
        State current = state;
        if (!current.configured.get(type)) {
            return 0;
        }
        Resolution resolution = current.resolutions.computeIfAbsent(new Key(type, user, clientId), k -> resolve(current.quotas, k));
        if (resolution.bucket() == null) {
            return 0;
        }
        long now = clock.getAsLong();
        RateWindow window = current.buckets.computeIfAbsent(type + "\0" + resolution.bucket(),
            b -> new RateWindow(settings.samples(), settings.windowMs(), now));
        window.record(value, now);
        double rate = window.rate(now);
        double quota = type == QuotaType.REQUEST ? resolution.quota() / 100.0 * 1_000_000_000.0 : resolution.quota();
        if (rate <= quota) {
            return 0;
        }
        long throttle = (long) ((rate - quota) / quota * window.windowSizeMs(now));
        return Math.min(throttle, settings.windowMs());
    }

    /**
     * Takes back {@code value} recorded just before by {@link #recordAndGetThrottleMs} for the same client: what a
     * throttled fetch would have sent and, answered empty, did not (Kafka's unrecordQuotaSensor).
     */
    public void unrecord(QuotaType type, String user, String clientId, double value) {
        State current = state;
        Resolution resolution = current.resolutions.get(new Key(type, user, clientId));
        if (resolution == null || resolution.bucket() == null) {
            return;
        }
        RateWindow window = current.buckets.get(type + "\0" + resolution.bucket());
        if (window != null) {
            window.unrecord(value);
        }
    }

    /** The quota of {@code type} a client would get, or null: for describing and tests. */
    public Double quotaOf(QuotaType type, String user, String clientId) {
        Resolution resolution = resolve(state.quotas, new Key(type, user, clientId));
        return resolution.bucket() == null ? null : resolution.quota();
    }

    private static Resolution resolve(Map<QuotaEntity, Map<String, Double>> quotas, Key key) {
        Component user = new Component(key.user());
        Component client = new Component(key.clientId());
        List<QuotaEntity> order = List.of(
            new QuotaEntity(user, client), new QuotaEntity(user, Component.DEFAULT), new QuotaEntity(user, null),
            new QuotaEntity(Component.DEFAULT, client), new QuotaEntity(Component.DEFAULT, Component.DEFAULT),
            new QuotaEntity(Component.DEFAULT, null), new QuotaEntity(null, client), new QuotaEntity(null, Component.DEFAULT));
        for (int level = 0; level < order.size(); level++) {
            Map<String, Double> values = quotas.get(order.get(level));
            Double quota = values == null ? null : values.get(key.type().key);
            if (quota != null) {
                String bucket = switch (level) {
                    case 2, 5 -> "user=" + key.user();
                    case 6, 7 -> "client-id=" + key.clientId();
                    default -> "user=" + key.user() + "\0client-id=" + key.clientId();
                };
                return new Resolution(quota, bucket);
            }
        }
        return Resolution.NONE;
    }
}
