package io.tributary.server.network;

import io.tributary.protocol.ApiKey;

/**
 * Told by every connection when it opens and closes (and why), and when each request has been answered, with the
 * time from its arrival to its answer (a parked fetch counts its wait). Called on the connection's event
 * loop, so an implementation must be cheap and must not block: the broker's metrics update counters and a
 * timer. The network layer knows nothing of how these are kept.
 */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void connectionOpened() {
        }

        @Override
        public void connectionClosed(CloseReason reason) {
        }

        @Override
        public void requestCompleted(ApiKey api, long nanos) {
        }
    };

    void connectionOpened();

    /** A connection ended, for {@code reason}. */
    void connectionClosed(CloseReason reason);

    /** A request of {@code api} took {@code nanos} from its frame's arrival to its handler's answer. */
    void requestCompleted(ApiKey api, long nanos);

    /** A SASL authentication succeeded or failed (counted as Kafka's successful/failed-authentication-total). */
    default void authentication(boolean succeeded) {
    }
}
