package io.tributary.metadata.controller;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broker's life as the controller sees it: it registers (a new incarnation, fenced), heartbeats (unfenced once it
 * asks to be), and is fenced when its heartbeats stop for {@code broker.session.timeout.ms} or it shuts down. Fencing
 * moves leadership and ISR membership away from it in the same batch, so no image ever shows a fenced leader.
 *
 * <p>Heartbeat times are the controller's own soft state, not replicated (as in Kafka): a new controller counts every
 * broker as last seen when it took over. Time is passed in, so these functions are pure.
 */
public final class BrokerLifecycle {
    private BrokerLifecycle() {
    }

    /** What a broker sends to register. @param rack null when unset */
    public record Registration(int brokerId, List<Endpoint> endpoints, String rack) {
        public Registration {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** The answer to a heartbeat. */
    public record HeartbeatReply(boolean fenced, boolean shutdownReady) {
    }

    /**
     * A new incarnation of {@code registration.brokerId()} with a broker epoch above every one issued before. The new
     * incarnation starts fenced; whatever the old one led is moved away in the same batch.
     *
     * @return the new broker epoch
     */
    public static ControllerResult<Long> register(MetadataImage image, Registration registration,
                                                  boolean uncleanEnabled) {
        if (registration.brokerId() < 0) {
            return ControllerResult.refused(ErrorCode.INVALID_REQUEST);
        }
        long epoch = image.highestBrokerEpoch() + 1;
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new RegisterBroker(registration.brokerId(), epoch, registration.endpoints(), registration.rack(),
            true));
        if (image.broker(registration.brokerId()) != null) {
            records.addAll(LeaderElection.moveAwayFrom(image, registration.brokerId(), uncleanEnabled));
        }
        return ControllerResult.of(records, epoch);
    }

    /**
     * A heartbeat from a broker incarnation. A fenced broker that does not want to stay fenced is unfenced, and
     * partitions without a leader that it can lead get it; a broker that wants to shut down is fenced with its
     * leadership moved away, and told it may stop.
     */
    public static ControllerResult<HeartbeatReply> heartbeat(MetadataImage image, int brokerId, long brokerEpoch,
                                                             boolean wantFence, boolean wantShutdown,
                                                             boolean uncleanEnabled) {
        BrokerRegistration b = image.broker(brokerId);
        if (b == null) {
            return ControllerResult.refused(ErrorCode.BROKER_ID_NOT_REGISTERED);
        }
        if (b.brokerEpoch() != brokerEpoch) {
            return ControllerResult.refused(ErrorCode.STALE_BROKER_EPOCH);
        }
        if (wantShutdown || wantFence) {
            if (b.fenced()) {
                return ControllerResult.of(List.of(), new HeartbeatReply(true, wantShutdown));
            }
            return ControllerResult.of(fence(image, b, uncleanEnabled), new HeartbeatReply(true, wantShutdown));
        }
        if (!b.fenced()) {
            return ControllerResult.of(List.of(), new HeartbeatReply(false, false));
        }
        List<MetadataRecord> records = new ArrayList<>();
        BrokerFencing unfence = new BrokerFencing(brokerId, brokerEpoch, false);
        records.add(unfence);
        records.addAll(LeaderElection.electLeaderless(image.apply(unfence), uncleanEnabled));
        return ControllerResult.of(records, new HeartbeatReply(false, false));
    }

    /**
     * Fences every unfenced broker whose last heartbeat ({@code lastHeartbeatMs}, by broker id; a broker missing there
     * counts as seen at {@code nowMs}) is {@code sessionTimeoutMs} or more before {@code nowMs}, in broker id order,
     * each with its leadership moved away.
     */
    public static List<MetadataRecord> fenceExpired(MetadataImage image, Map<Integer, Long> lastHeartbeatMs,
                                                    long nowMs, long sessionTimeoutMs, boolean uncleanEnabled) {
        List<MetadataRecord> records = new ArrayList<>();
        MetadataImage current = image;
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced()) {
                continue;
            }
            long last = lastHeartbeatMs.getOrDefault(b.brokerId(), nowMs);
            if (nowMs - last >= sessionTimeoutMs) {
                List<MetadataRecord> fencing = fence(current, b, uncleanEnabled);
                records.addAll(fencing);
                current = current.apply(fencing);
            }
        }
        return records;
    }

    /**
     * Fences incarnation {@code brokerEpoch} of {@code brokerId} with its leadership moved away, exactly as a session
     * expiry does; nothing when that incarnation is no longer registered or is fenced already (it re-registered or
     * was fenced meanwhile).
     */
    public static List<MetadataRecord> fenceIfUnfenced(MetadataImage image, int brokerId, long brokerEpoch,
                                                       boolean uncleanEnabled) {
        BrokerRegistration b = image.broker(brokerId);
        if (b == null || b.fenced() || b.brokerEpoch() != brokerEpoch) {
            return List.of();
        }
        return fence(image, b, uncleanEnabled);
    }

    /** The broker fenced, then its partitions' leadership and ISR membership moved away. */
    static List<MetadataRecord> fence(MetadataImage image, BrokerRegistration b, boolean uncleanEnabled) {
        List<MetadataRecord> records = new ArrayList<>();
        BrokerFencing fencing = new BrokerFencing(b.brokerId(), b.brokerEpoch(), true);
        records.add(fencing);
        records.addAll(LeaderElection.moveAwayFrom(image.apply(fencing), b.brokerId(), uncleanEnabled));
        return records;
    }
}
