package io.tributary.metadata.controller;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Who leads a partition, decided from the image alone. The rules (Kafka's KRaft controller's):
 * <ul>
 *   <li>a leader is chosen in replica order among ISR members that are unfenced, so the preferred (first) replica
 *       wins whenever it can;</li>
 *   <li>a broker leaving service leaves every ISR it is in, unless it is the last member: the last member stays so
 *       that the partition remembers who holds its data, and the partition has no leader until that broker returns
 *       (or, with {@code unclean.leader.election.enable}, any unfenced replica takes over, with only itself in the
 *       ISR, losing whatever the others had not copied);</li>
 *   <li>every change raises the partition epoch; a change of leader (to none as well) raises the leader epoch.</li>
 * </ul>
 */
public final class LeaderElection {
    private LeaderElection() {
    }

    /**
     * Changes that take {@code brokerId} (being fenced or shutting down, so not counted as eligible) out of every ISR
     * and leadership, in topic and partition order. {@code image} may still show the broker unfenced.
     */
    public static List<MetadataRecord> moveAwayFrom(MetadataImage image, int brokerId, boolean uncleanEnabled) {
        List<MetadataRecord> changes = new ArrayList<>();
        for (TopicImage topic : sortedTopics(image)) {
            for (int p = 0; p < topic.partitions().size(); p++) {
                PartitionState s = topic.partitions().get(p);
                if (s.leader() != brokerId && !s.isr().contains(brokerId)) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(s.isr());
                if (isr.size() > 1) {
                    isr.remove(Integer.valueOf(brokerId));
                }
                int leader = s.leader() == brokerId || !isr.contains(s.leader()) ? MetadataRecord.NO_LEADER : s.leader();
                if (leader == MetadataRecord.NO_LEADER) {
                    leader = firstEligible(image, s.replicas(), isr, brokerId);
                    if (leader == MetadataRecord.NO_LEADER && uncleanEnabled) {
                        leader = firstEligible(image, s.replicas(), s.replicas(), brokerId);
                        if (leader != MetadataRecord.NO_LEADER) {
                            isr = List.of(leader);
                        }
                    }
                }
                PartitionChange change = change(topic.topicId(), p, s, s.replicas(), isr, leader);
                if (change != null) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    /**
     * Leaders for partitions that have none, from their ISR's unfenced members (or, with {@code uncleanEnabled}, any
     * unfenced replica): run when a broker is unfenced.
     */
    public static List<MetadataRecord> electLeaderless(MetadataImage image, boolean uncleanEnabled) {
        List<MetadataRecord> changes = new ArrayList<>();
        for (TopicImage topic : sortedTopics(image)) {
            for (int p = 0; p < topic.partitions().size(); p++) {
                PartitionState s = topic.partitions().get(p);
                if (s.hasLeader()) {
                    continue;
                }
                List<Integer> isr = s.isr();
                int leader = firstEligible(image, s.replicas(), isr, MetadataRecord.NO_LEADER);
                if (leader == MetadataRecord.NO_LEADER && uncleanEnabled) {
                    leader = firstEligible(image, s.replicas(), s.replicas(), MetadataRecord.NO_LEADER);
                    isr = List.of(leader);
                }
                if (leader != MetadataRecord.NO_LEADER) {
                    changes.add(change(topic.topicId(), p, s, s.replicas(), isr, leader));
                }
            }
        }
        return changes;
    }

    /**
     * Preferred-leader election for one partition (ElectLeaders with PREFERRED, and the automatic rebalance):
     * ELECTION_NOT_NEEDED when the preferred replica leads already, PREFERRED_LEADER_NOT_AVAILABLE when it is fenced
     * or out of the ISR.
     */
    public static ControllerResult<Void> electPreferred(MetadataImage image, UUID topicId, int partition) {
        PartitionState s = image.partition(topicId, partition);
        if (s == null) {
            return ControllerResult.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        int preferred = s.preferredLeader();
        if (s.leader() == preferred) {
            return ControllerResult.refused(ErrorCode.ELECTION_NOT_NEEDED);
        }
        if (!s.isr().contains(preferred) || !image.isUnfenced(preferred)) {
            return ControllerResult.refused(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
        }
        return ControllerResult.of(List.of(change(topicId, partition, s, s.replicas(), s.isr(), preferred)), null);
    }

    /**
     * Unclean election for one partition (ElectLeaders with UNCLEAN): ELECTION_NOT_NEEDED when it has a leader; else
     * an unfenced ISR member if there is one (a clean election), else any unfenced replica, which becomes the only ISR
     * member and loses whatever the others had not copied; ELIGIBLE_LEADERS_NOT_AVAILABLE when every replica is fenced.
     */
    public static ControllerResult<Void> electUnclean(MetadataImage image, UUID topicId, int partition) {
        PartitionState s = image.partition(topicId, partition);
        if (s == null) {
            return ControllerResult.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (s.hasLeader()) {
            return ControllerResult.refused(ErrorCode.ELECTION_NOT_NEEDED);
        }
        List<Integer> isr = s.isr();
        int leader = firstEligible(image, s.replicas(), isr, MetadataRecord.NO_LEADER);
        if (leader == MetadataRecord.NO_LEADER) {
            leader = firstEligible(image, s.replicas(), s.replicas(), MetadataRecord.NO_LEADER);
            isr = List.of(leader);
        }
        if (leader == MetadataRecord.NO_LEADER) {
            return ControllerResult.refused(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        }
        return ControllerResult.of(List.of(change(topicId, partition, s, s.replicas(), isr, leader)), null);
    }

    /** Preferred-leader election over every partition whose preferred replica could lead but does not. */
    public static List<MetadataRecord> electAllPreferred(MetadataImage image) {
        List<MetadataRecord> changes = new ArrayList<>();
        for (TopicImage topic : sortedTopics(image)) {
            for (int p = 0; p < topic.partitions().size(); p++) {
                changes.addAll(electPreferred(image, topic.topicId(), p).records());
            }
        }
        return changes;
    }

    /** The first of {@code replicas} (in order) that is in {@code candidates}, unfenced and not {@code excluded}. */
    static int firstEligible(MetadataImage image, List<Integer> replicas, List<Integer> candidates, int excluded) {
        for (int r : replicas) {
            if (r != excluded && candidates.contains(r) && image.isUnfenced(r)) {
                return r;
            }
        }
        return MetadataRecord.NO_LEADER;
    }

    /**
     * The change from {@code s} to the given state with the epochs raised by the rules, or null if nothing changes. A
     * reassignment in progress stays as it is.
     */
    static PartitionChange change(UUID topicId, int partition, PartitionState s, List<Integer> replicas,
                                  List<Integer> isr, int leader) {
        return change(topicId, partition, s, replicas, isr, leader, s.addingReplicas(), s.removingReplicas());
    }

    /** As {@link #change(UUID, int, PartitionState, List, List, int)}, with the reassignment's new sides. */
    static PartitionChange change(UUID topicId, int partition, PartitionState s, List<Integer> replicas,
                                  List<Integer> isr, int leader, List<Integer> adding, List<Integer> removing) {
        boolean leaderChanged = leader != s.leader();
        if (!leaderChanged && isr.equals(s.isr()) && replicas.equals(s.replicas())
            && adding.equals(s.addingReplicas()) && removing.equals(s.removingReplicas())) {
            return null;
        }
        return new PartitionChange(topicId, partition, replicas, isr, leader,
            leaderChanged ? s.leaderEpoch() + 1 : s.leaderEpoch(), s.partitionEpoch() + 1, adding, removing);
    }

    static List<TopicImage> sortedTopics(MetadataImage image) {
        List<TopicImage> topics = new ArrayList<>(image.topics());
        topics.sort((a, b) -> a.name().compareTo(b.name()));
        return topics;
    }
}
