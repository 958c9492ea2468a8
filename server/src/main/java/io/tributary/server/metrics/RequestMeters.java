package io.tributary.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.protocol.ApiKey;
import io.tributary.server.network.CloseReason;
import io.tributary.server.network.RequestObserver;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Requests and connections as the network layer reports them: per API a timer {@code tributary_requests_seconds}
 * (tag {@code api}: its count gives the request rate, its sum the time spent, and quantiles 0.5, 0.95, 0.99
 * and 0.999 over a sliding two-minute window the latency percentiles), the open connections
 * {@code tributary_connections_active}, those accepted so far {@code tributary_connections_accepted_total}, and
 * those closed so far by reason {@code tributary_connections_closed_total} (tag {@code reason}, see
 * {@link CloseReason}: every reason but "client" is a request the broker refused).
 *
 * <p>Timers are kept in an array indexed by the API's ordinal and created on an API's first request, so a
 * request costs an array read and one timer record, no map lookup and no tag building.
 */
public final class RequestMeters implements RequestObserver {
    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(ApiKey.values().length);
    private final AtomicInteger active = new AtomicInteger();
    private final Counter accepted;
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Counter authenticated;
    private final Counter authenticationFailed;

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tributary.connections.active", active, AtomicInteger::get)
            .description("Client connections open now").register(registry);
        this.accepted = Counter.builder("tributary.connections.accepted")
            .description("Client connections accepted since start").register(registry);
        this.authenticated = Counter.builder("tributary.authentications").tag("result", "succeeded")
            .description("SASL authentications since start, by result (Kafka's successful/failed-authentication-total)")
            .register(registry);
        this.authenticationFailed = Counter.builder("tributary.authentications").tag("result", "failed")
            .description("SASL authentications since start, by result (Kafka's successful/failed-authentication-total)")
            .register(registry);
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder("tributary.connections.closed").tag("reason", reason.tag)
                .description("Client connections closed since start, by reason (all but client: refused by the broker)")
                .register(registry));
        }
    }

    @Override
    public void connectionOpened() {
        active.incrementAndGet();
        accepted.increment();
    }

    @Override
    public void connectionClosed(CloseReason reason) {
        active.decrementAndGet();
        closed.get(reason).increment();
    }

    @Override
    public void requestCompleted(ApiKey api, long nanos) {
        Timer timer = timers.get(api.ordinal());
        if (timer == null) {
            timer = Timer.builder("tributary.requests").tag("api", api.title())
                .description("Time from a request's arrival to its answer, per API")
                .publishPercentiles(0.5, 0.95, 0.99, 0.999)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry); // registering twice returns the same timer, so a race here is harmless
            timers.set(api.ordinal(), timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void authentication(boolean succeeded) {
        (succeeded ? authenticated : authenticationFailed).increment();
    }

    /** Connections open now, for tests. */
    public int activeConnections() {
        return active.get();
    }
}
