package io.tributary.metadata.controller;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Early death detection from the kernel's evidence ({@code broker.liveness.probe.enable}): the controller probes the
 * registered listener endpoints of a broker whose heartbeats stopped with a TCP connect. A refused connection
 * (ECONNREFUSED: the host answered that nothing listens at that port) means the broker process is gone, since the
 * kernel closes a dead process's listening sockets; a frozen process (SIGSTOP, a long GC pause) keeps its listening
 * socket and the kernel completes the handshake for it, so it is never judged dead here. Only a broker whose every
 * endpoint refused, in {@link Policy#refusalsToFence()} probes in a row with no heartbeat in between, is fenced before
 * its session expires; an accepted connection, a timeout or any other error leaves it to {@code
 * broker.session.timeout.ms}. A fence decided here writes the same records as a session expiry
 * ({@link BrokerLifecycle#fenceIfUnfenced}).
 *
 * <p>What a refusal cannot tell apart from a dead process: a firewall rejecting connections to every listener of a
 * live broker that also cannot reach the controller (its heartbeats stop). Fencing it early is as safe as fencing
 * it after the session (leaders are elected from the ISR only); it rejoins with its next heartbeat.
 *
 * <p>Pure: times and probe outcomes are passed in.
 */
public final class LivenessProbing {
    private LivenessProbing() {
    }

    /** One probe of a broker, over all its registered endpoints. */
    public enum Outcome {
        /** Every endpoint refused the connection: nothing listens at any of them. */
        REFUSED,
        /** At least one endpoint accepted: something listens there (a live, or a frozen, broker). */
        ACCEPTED,
        /** Timeouts, unresolvable or wildcard hosts, other errors: no evidence either way. */
        INCONCLUSIVE;

        /** The outcome over a broker's endpoints: any acceptance wins; refused only when all (and some) refused. */
        public static Outcome combine(List<Outcome> perEndpoint) {
            if (perEndpoint.contains(ACCEPTED)) {
                return ACCEPTED;
            }
            if (!perEndpoint.isEmpty() && perEndpoint.stream().allMatch(o -> o == REFUSED)) {
                return REFUSED;
            }
            return INCONCLUSIVE;
        }
    }

    /**
     * @param silenceMs          a broker unheard of for this long is probed (a heartbeat interval and a margin)
     * @param refusalsToFence    refused probes in a row that fence it
     * @param confirmAfterMs     the pause before the next probe after a refusal
     * @param retryAfterMs       the pause before the next probe after an accepted or inconclusive one
     * @param connectTimeoutMs   the bound of each connect
     */
    public record Policy(long silenceMs, int refusalsToFence, long confirmAfterMs, long retryAfterMs,
                         int connectTimeoutMs) {
        public Policy {
            if (silenceMs < 1 || refusalsToFence < 1 || confirmAfterMs < 0 || retryAfterMs < 1 || connectTimeoutMs < 1) {
                throw new IllegalArgumentException("bad liveness probe policy " + silenceMs + "/" + refusalsToFence
                    + "/" + confirmAfterMs + "/" + retryAfterMs + "/" + connectTimeoutMs);
            }
        }

        /**
         * For brokers heartbeating every {@code heartbeatIntervalMs}: probed after a heartbeat interval and a
         * quarter of another (at least 300 ms) of silence: a heartbeat merely late on a loaded machine costs a probe
         * that its broker accepts, nothing more; two refusals 200 ms apart fence; other outcomes are retried a
         * heartbeat interval later; connects are bounded by a second (a refusal takes one round trip).
         */
        public static Policy forHeartbeatInterval(long heartbeatIntervalMs) {
            long margin = Math.max(300, heartbeatIntervalMs / 4);
            return new Policy(heartbeatIntervalMs + margin, 2, 200, Math.max(heartbeatIntervalMs, 200), 1_000);
        }
    }

    /**
     * One broker incarnation's probing so far.
     *
     * @param refusals    refused probes in a row
     * @param notBeforeMs the next probe is not started before this
     */
    public record Probing(long brokerEpoch, int refusals, long notBeforeMs) {
    }

    /**
     * The unfenced brokers to probe now: unheard of for {@link Policy#silenceMs()} or more ({@code lastHeardMs} by
     * broker id; a broker missing there counts as heard at {@code nowMs}), none in {@code inFlight}, and past the
     * pause of their previous probe of the same incarnation. In broker id order.
     */
    public static List<BrokerRegistration> due(MetadataImage image, Map<Integer, Long> lastHeardMs,
                                               Map<Integer, Probing> probing, Set<Integer> inFlight, long nowMs,
                                               Policy policy) {
        List<BrokerRegistration> due = new ArrayList<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced() || inFlight.contains(b.brokerId()) || b.endpoints().isEmpty()) {
                continue;
            }
            if (nowMs - lastHeardMs.getOrDefault(b.brokerId(), nowMs) < policy.silenceMs()) {
                continue;
            }
            Probing previous = probing.get(b.brokerId());
            if (previous != null && previous.brokerEpoch() == b.brokerEpoch() && nowMs < previous.notBeforeMs()) {
                continue;
            }
            due.add(b);
        }
        return due;
    }

    /**
     * The probing after a probe of incarnation {@code brokerEpoch} started at {@code startedMs} ended at {@code nowMs}
     * with {@code outcome}. A heartbeat heard after the probe started ({@code lastHeardMs} at or past it) voids it:
     * the broker spoke, the count starts again. Refusals count only in a row, of the same incarnation.
     */
    public static Probing afterProbe(Probing previous, long brokerEpoch, long startedMs, long lastHeardMs, long nowMs,
                                     Outcome outcome, Policy policy) {
        if (lastHeardMs >= startedMs) {
            return new Probing(brokerEpoch, 0, nowMs + policy.retryAfterMs());
        }
        int before = previous != null && previous.brokerEpoch() == brokerEpoch ? previous.refusals() : 0;
        if (outcome == Outcome.REFUSED) {
            return new Probing(brokerEpoch, before + 1, nowMs + policy.confirmAfterMs());
        }
        return new Probing(brokerEpoch, 0, nowMs + policy.retryAfterMs());
    }

    /** Whether {@code probing} is evidence enough that the process of that incarnation is gone. */
    public static boolean dead(Probing probing, Policy policy) {
        return probing != null && probing.refusals() >= policy.refusalsToFence();
    }
}
