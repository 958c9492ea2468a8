package io.tributary.clients.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The results of an admin operation on several things at once (topics, groups, partitions, config resources):
 * one future per key, because a request can succeed for some and fail for others ("orders" created,
 * "payments" already exists). Each future completes with its key's value or fails with the exception for its
 * key's error code; {@link #all()} combines them.
 *
 * <p>Futures complete on the admin client's callback thread, never on its I/O thread, so continuations may
 * block or call the admin again.
 */
public final class KeyedResults<K, V> {
    private final Map<K, CompletableFuture<V>> futures;

    KeyedResults(Map<K, CompletableFuture<V>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** The keys, in the order they were given. */
    public Set<K> keys() {
        return futures.keySet();
    }

    /** Every key's future, in the order the keys were given. */
    public Map<K, CompletableFuture<V>> futures() {
        return futures;
    }

    /**
     * The future of one key.
     *
     * @throws IllegalArgumentException if the operation was not asked about {@code key}
     */
    public CompletableFuture<V> get(K key) {
        CompletableFuture<V> f = futures.get(key);
        if (f == null) {
            throw new IllegalArgumentException(key + " is not one of this operation's keys " + futures.keySet());
        }
        return f;
    }

    /**
     * Completes with every key's value once all have succeeded, or fails, once all are done, with the failure
     * of the first key (in the order given) that failed.
     */
    public CompletableFuture<Map<K, V>> all() {
        return CompletableFuture.allOf(futures.values().toArray(new CompletableFuture<?>[0])).handle((ignored, error) -> {
            Map<K, V> values = new LinkedHashMap<>();
            for (Map.Entry<K, CompletableFuture<V>> e : futures.entrySet()) {
                values.put(e.getKey(), e.getValue().join()); // the first failure, wrapped, fails the whole
            }
            return values;
        });
    }

    /** The keys whose futures failed (once done), in the order given; for reports of partial success. */
    public List<K> failedKeys() {
        List<K> failed = new ArrayList<>();
        futures.forEach((k, f) -> {
            if (f.isCompletedExceptionally()) {
                failed.add(k);
            }
        });
        return failed;
    }

    static <K> void requireDistinct(Collection<K> keys, String what) {
        Set<K> seen = new java.util.HashSet<>();
        for (K k : keys) {
            if (k == null) {
                throw new IllegalArgumentException("A null " + what + " in " + keys);
            }
            if (!seen.add(k)) {
                throw new IllegalArgumentException(what + " " + k + " is named more than once in " + keys);
            }
        }
    }
}
