package io.tributary.server.cluster;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.record.MetadataRecord.Endpoint;

/**
 * Which of a broker's registered endpoints a client is told about: the one on the listener the client connected
 * through (as Kafka answers), or its first one when it has no listener of that name (a broker configured
 * differently from the one answering).
 */
public final class ClusterEndpoints {
    private ClusterEndpoints() {
    }

    /** The broker's endpoint on {@code listenerName}, else its first, or null when it registered none. */
    public static Endpoint forListener(BrokerRegistration broker, String listenerName) {
        for (Endpoint e : broker.endpoints()) {
            if (e.listener().equals(listenerName)) {
                return e;
            }
        }
        return broker.endpoints().isEmpty() ? null : broker.endpoints().get(0);
    }
}
