package io.tributary.metadata.controller;

import io.tributary.metadata.controller.LivenessProbing.Outcome;
import io.tributary.metadata.controller.LivenessProbing.Policy;
import io.tributary.metadata.controller.LivenessProbing.Probing;
import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.record.MetadataRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tributary.metadata.controller.ControllerDecisionsTest.T;
import static io.tributary.metadata.controller.ControllerDecisionsTest.cluster;
import static io.tributary.metadata.controller.ControllerDecisionsTest.withTopic;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LivenessProbingTest {
    /** Heartbeats every 2 s: probed after 2.5 s of silence, fenced on two refusals 200 ms apart. */
    private static final Policy POLICY = Policy.forHeartbeatInterval(2_000);

    @Test
    void theDefaultPolicyProbesAfterAHeartbeatIntervalAndAMarginAndFencesOnTwoRefusals() {
        assertThat(POLICY.silenceMs()).isEqualTo(2_500);
        assertThat(POLICY.refusalsToFence()).isEqualTo(2);
        assertThat(POLICY.confirmAfterMs()).isEqualTo(200);
        assertThat(Policy.forHeartbeatInterval(500).silenceMs()).as("a margin of at least 300 ms").isEqualTo(800);
    }

    @Test
    void anyAcceptanceMeansAliveAndOnlyARefusalOfEveryEndpointMeansDead() {
        assertThat(Outcome.combine(List.of(Outcome.REFUSED, Outcome.REFUSED))).isEqualTo(Outcome.REFUSED);
        assertThat(Outcome.combine(List.of(Outcome.REFUSED, Outcome.ACCEPTED))).isEqualTo(Outcome.ACCEPTED);
        assertThat(Outcome.combine(List.of(Outcome.INCONCLUSIVE, Outcome.ACCEPTED))).isEqualTo(Outcome.ACCEPTED);
        assertThat(Outcome.combine(List.of(Outcome.REFUSED, Outcome.INCONCLUSIVE)))
            .as("one listener refusing, another timing out: no evidence").isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(Outcome.combine(List.of())).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void onlyUnfencedBrokersSilentForLongerThanTheMarginAreDue() {
        MetadataImage image = cluster(null, null, null);
        // broker 3 fenced by a controlled shutdown
        image = image.apply(BrokerLifecycle.heartbeat(image, 3, image.broker(3).brokerEpoch(), false, true, false)
            .records());
        Map<Integer, Long> lastHeard = Map.of(1, 10_000L, 2, 7_500L, 3, 0L);
        assertThat(LivenessProbing.due(image, lastHeard, Map.of(), Set.of(), 10_000, POLICY))
            .extracting(BrokerRegistration::brokerId).as("2 was heard 2.5 s ago; 3 is fenced").containsExactly(2);
        assertThat(LivenessProbing.due(image, lastHeard, Map.of(), Set.of(), 9_999, POLICY)).isEmpty();
        assertThat(LivenessProbing.due(image, lastHeard, Map.of(), Set.of(2), 10_000, POLICY))
            .as("a probe of 2 is under way").isEmpty();
        assertThat(LivenessProbing.due(image, Map.of(), Map.of(), Set.of(), 10_000, POLICY))
            .as("a broker never heard of counts as heard now").isEmpty();
    }

    @Test
    void aProbeIsNotRepeatedBeforeItsPauseButANewIncarnationIsProbedAtOnce() {
        MetadataImage image = cluster(null, null);
        long epoch2 = image.broker(2).brokerEpoch();
        Map<Integer, Long> lastHeard = Map.of(1, 20_000L, 2, 0L);
        Map<Integer, Probing> probing = Map.of(2, new Probing(epoch2, 0, 22_000));
        assertThat(LivenessProbing.due(image, lastHeard, probing, Set.of(), 21_999, POLICY)).isEmpty();
        assertThat(LivenessProbing.due(image, lastHeard, probing, Set.of(), 22_000, POLICY))
            .extracting(BrokerRegistration::brokerId).containsExactly(2);
        Map<Integer, Probing> ofOlderIncarnation = Map.of(2, new Probing(epoch2 - 1, 0, 30_000));
        assertThat(LivenessProbing.due(image, lastHeard, ofOlderIncarnation, Set.of(), 21_000, POLICY))
            .extracting(BrokerRegistration::brokerId).containsExactly(2);
    }

    @Test
    void twoRefusalsInARowAreDeathButAnAcceptanceOrAnInconclusiveProbeStartsTheCountAgain() {
        Probing first = LivenessProbing.afterProbe(null, 5, 1_000, 0, 1_001, Outcome.REFUSED, POLICY);
        assertThat(first.refusals()).isEqualTo(1);
        assertThat(first.notBeforeMs()).as("confirmed soon").isEqualTo(1_201);
        assertThat(LivenessProbing.dead(first, POLICY)).isFalse();
        Probing second = LivenessProbing.afterProbe(first, 5, 1_201, 0, 1_202, Outcome.REFUSED, POLICY);
        assertThat(LivenessProbing.dead(second, POLICY)).isTrue();

        for (Outcome other : List.of(Outcome.ACCEPTED, Outcome.INCONCLUSIVE)) {
            Probing reset = LivenessProbing.afterProbe(first, 5, 1_201, 0, 1_202, other, POLICY);
            assertThat(reset.refusals()).as(other.name()).isZero();
            assertThat(reset.notBeforeMs()).as("retried a heartbeat interval later").isEqualTo(3_202);
            assertThat(LivenessProbing.dead(LivenessProbing.afterProbe(reset, 5, 3_202, 0, 3_203, Outcome.REFUSED,
                POLICY), POLICY)).as("one refusal after " + other).isFalse();
        }
    }

    @Test
    void aHeartbeatHeardDuringTheProbeVoidsItsRefusal() {
        Probing first = LivenessProbing.afterProbe(null, 5, 1_000, 0, 1_001, Outcome.REFUSED, POLICY);
        Probing heard = LivenessProbing.afterProbe(first, 5, 1_201, 1_201, 1_300, Outcome.REFUSED, POLICY);
        assertThat(heard.refusals()).isZero();
        assertThat(LivenessProbing.dead(heard, POLICY)).isFalse();
    }

    @Test
    void refusalsOfAnEarlierIncarnationDoNotCount() {
        Probing ofEpoch4 = LivenessProbing.afterProbe(null, 4, 1_000, 0, 1_001, Outcome.REFUSED, POLICY);
        Probing ofEpoch5 = LivenessProbing.afterProbe(ofEpoch4, 5, 1_201, 0, 1_202, Outcome.REFUSED, POLICY);
        assertThat(ofEpoch5.refusals()).isEqualTo(1);
        assertThat(LivenessProbing.dead(ofEpoch5, POLICY)).isFalse();
    }

    @Test
    void aFenceOnProbeWritesWhatASessionExpiryWrites() {
        MetadataImage image = withTopic(cluster(null, null, null), 1, 3);
        PartitionState before = image.partition(T, 0);
        int leader = before.leader();
        Map<Integer, Long> lastSeen = new HashMap<>(Map.of(1, 10_000L, 2, 10_000L, 3, 10_000L));
        lastSeen.put(leader, 0L);
        List<MetadataRecord> expiry = BrokerLifecycle.fenceExpired(image, lastSeen, 10_000, 9_000, false);
        List<MetadataRecord> probed = BrokerLifecycle.fenceIfUnfenced(image, leader, image.broker(leader).brokerEpoch(),
            false);
        assertThat(probed).isNotEmpty().isEqualTo(expiry);
        assertThat(image.apply(probed).partition(T, 0).leader()).isEqualTo(before.replicas().get(1));

        assertThat(BrokerLifecycle.fenceIfUnfenced(image, leader, image.broker(leader).brokerEpoch() + 1, false))
            .as("another incarnation").isEmpty();
        assertThat(BrokerLifecycle.fenceIfUnfenced(image.apply(probed), leader, image.broker(leader).brokerEpoch(),
            false)).as("fenced already").isEmpty();
        assertThat(BrokerLifecycle.fenceIfUnfenced(image, 9, 1, false)).as("unknown").isEmpty();
    }
}
