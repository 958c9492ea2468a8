package io.tributary.server.cluster;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.quorum.MetadataListener;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.replica.PartitionAssignment;
import io.tributary.server.replica.PartitionRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Applies each new metadata image to this broker, in image order, on its own single thread (the quorum's apply
 * thread must not wait on disks): creates, grows and deletes the local logs of the topics the image
 * holds, then hands the partitions whose state changed to {@link PartitionRoles#apply} (every changed partition,
 * including those this broker holds no replica of, which it must refuse; those of deleted topics as removed), then tells {@link LeadershipListener}s which
 * partitions this broker started or stopped leading (the group coordinator loads and unloads its
 * {@code __consumer_offsets} partitions that way).
 *
 * <p>Local topics the image does not know are left alone until {@link #reconcileDeletions()} is called (after this
 * broker registered its pre-cluster topics, see {@link BrokerHeartbeats}), which deletes them once; from then on a
 * topic removed from the image is deleted locally. A topic whose local id differs from the image's was deleted and re-created while this
 * broker was away: its old log is deleted and the new one created.
 *
 * <p>Catching up: a broker of a cluster (several voters) that restarts replays its quorum log from its last snapshot,
 * so the images it applies first are the cluster's past: it would lead partitions at epochs long gone and shrink their
 * ISRs. Such a publisher is {@link #holdUntilRegistered() held}: it applies nothing until an image holds this broker's
 * new registration ({@link #registered}), which the controller committed after everything before it, so that image is
 * as new as the cluster was when this broker came back (Kafka's broker waits for its metadata to catch up the same way).
 *
 * <p>Design note: every broker keeps a log for every partition of every topic (empty where it holds no replica), so
 * the log manager's one-topic-one-catalogue-entry model stays as it is; only the partitions it holds get data.
 */
public final class MetadataPublisher implements MetadataListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataPublisher.class);

    /** Told, on the publisher thread, when this broker starts or stops leading a partition. */
    public interface LeadershipListener {
        void onLeadership(TopicPartition partition, boolean leading, int leaderEpoch);
    }

    private final int brokerId;
    private final LogManager logs;
    private final PartitionRoles roles;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread;
    /** The image last published; touched only on the publisher thread. */
    private MetadataImage published = MetadataImage.EMPTY;
    private volatile boolean reconcileDeletions;
    private volatile MetadataImage latest = MetadataImage.EMPTY;
    /** Images are applied only once this broker's registration in them has at least this epoch; -1: not held. */
    private volatile long heldUntilBrokerEpoch = -1;

    public MetadataPublisher(int brokerId, LogManager logs, PartitionRoles roles) {
        this.brokerId = brokerId;
        this.logs = logs;
        this.roles = roles;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "metadata-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    /**
     * Applies no image until {@link #registered} names this broker's new registration and an image holds it. Call
     * before the quorum member starts, on a broker of a cluster of several voters.
     */
    public void holdUntilRegistered() {
        heldUntilBrokerEpoch = Long.MAX_VALUE;
    }

    /**
     * This broker registered with {@code brokerEpoch}: a held publisher applies the first image holding that
     * registration (the newest one already handed over, if it does) and every image after it.
     */
    public void registered(long brokerEpoch) {
        if (heldUntilBrokerEpoch == -1) {
            return;
        }
        heldUntilBrokerEpoch = brokerEpoch;
        try {
            thread.execute(() -> publish(latest));
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // stopping
        }
    }

    /** Whether {@code image} may be applied: not held, or it holds this broker's awaited registration (then never again held). */
    private boolean caughtUp(MetadataImage image) {
        long required = heldUntilBrokerEpoch;
        if (required == -1) {
            return true;
        }
        var mine = image.broker(brokerId);
        if (required == Long.MAX_VALUE || mine == null || mine.brokerEpoch() < required) {
            return false;
        }
        heldUntilBrokerEpoch = -1;
        log.info("Broker {} caught up with the cluster metadata (its registration at broker epoch {}); applying it", brokerId,
            mine.brokerEpoch());
        return true;
    }

    /** The newest image handed to this publisher (it may still be applying it). */
    public MetadataImage latest() {
        return latest;
    }

    @Override
    public void onImage(MetadataImage image, List<MetadataRecord> records) {
        latest = image;
        try {
            thread.execute(() -> publish(image));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the logs close next
        }
    }

    /**
     * Called once this broker registered its pre-cluster topics: local topics the image lacks now were deleted while
     * this broker was away, and are deleted (once, on the publisher thread); from now on a topic re-created under
     * another id replaces the local one. A topic created in the local logs later, by a caller inside this process,
     * stays a local topic (served by this broker alone, as before the cluster).
     */
    public void reconcileDeletions() {
        reconcileDeletions = true;
        try {
            thread.execute(() -> {
                MetadataImage image = latest;
                for (TopicMetadata local : List.copyOf(logs.topics().values())) {
                    if (image.topic(local.name()) == null) {
                        log.info("Deleting local logs of topic {} (id {}): the cluster metadata has no such topic",
                            local.name(), local.topicId());
                        logs.deleteTopic(local.name());
                    }
                }
                publish(image);
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // stopping
        }
    }

    /** Waits until everything handed over so far is applied (bounded); for start-up and tests. */
    public boolean awaitPublished(long timeoutMs) {
        try {
            thread.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void publish(MetadataImage image) {
        if (!caughtUp(image)) {
            return; // the cluster's past, replayed: applied as a whole once caught up
        }
        MetadataImage before = published;
        try {
            applyToLogs(image);
        } catch (RuntimeException e) {
            log.error("Applying the metadata image to the local logs failed; retried with the next image", e);
        }
        List<PartitionAssignment> changed = new ArrayList<>();
        List<TopicPartition> removed = new ArrayList<>();
        List<Runnable> leadership = new ArrayList<>();
        for (TopicImage topic : image.topics()) {
            TopicImage old = before.topic(topic.topicId());
            for (int p = 0; p < topic.partitions().size(); p++) {
                PartitionState state = topic.partitions().get(p);
                PartitionState was = old == null ? null : old.partition(p);
                if (state.equals(was)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), p);
                // every broker keeps a log of every partition: one it holds no replica of gets its assignment too, so
                // the replica manager refuses it (NOT_LEADER_OR_FOLLOWER) instead of serving it as a partition of its own
                changed.add(assignment(topic, p, state));
                boolean leads = state.leader() == brokerId;
                boolean led = was != null && was.leader() == brokerId;
                if (leads || led) {
                    int epoch = state.leaderEpoch();
                    leadership.add(() -> listeners.forEach(l -> l.onLeadership(tp, leads, epoch)));
                }
            }
        }
        for (TopicImage old : before.topics()) {
            if (image.topic(old.topicId()) == null) {
                for (int p = 0; p < old.partitions().size(); p++) {
                    PartitionState was = old.partitions().get(p);
                    TopicPartition tp = new TopicPartition(old.name(), p);
                    if (was.replicas().contains(brokerId)) {
                        removed.add(tp);
                    }
                    if (was.leader() == brokerId) {
                        leadership.add(() -> listeners.forEach(l -> l.onLeadership(tp, false, was.leaderEpoch())));
                    }
                }
            }
        }
        if (!changed.isEmpty() || !removed.isEmpty()) {
            try {
                roles.apply(changed, removed);
            } catch (RuntimeException e) {
                log.error("Partition roles failed to apply {} changed and {} removed partitions", changed.size(),
                    removed.size(), e);
            }
        }
        for (Runnable r : leadership) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("A leadership listener failed", e);
            }
        }
        published = image;
    }

    static PartitionAssignment assignment(TopicImage topic, int partition, PartitionState state) {
        return new PartitionAssignment(new TopicPartition(topic.name(), partition), topic.topicId(), state.leader(),
            state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr());
    }

    private void applyToLogs(MetadataImage image) {
        for (TopicImage topic : image.topics()) {
            TopicMetadata local = logs.topic(topic.name());
            if (local != null && !local.topicId().equals(topic.topicId())) {
                if (!reconcileDeletions) {
                    continue; // a pre-cluster topic about to be registered under its own id, or a clash to report
                }
                log.info("Topic {} was re-created with id {} (local copy has {}); replacing the local logs",
                    topic.name(), topic.topicId(), local.topicId());
                logs.deleteTopic(topic.name());
                local = null;
            }
            if (topic.partitions().isEmpty()) {
                continue;
            }
            if (local == null) {
                logs.createTopic(topic.name(), topic.topicId(), topic.partitions().size(), topic.configs());
                log.info("Created local logs of topic {} (id {}, {} partitions)", topic.name(), topic.topicId(),
                    topic.partitions().size());
                continue;
            }
            if (local.partitionCount() < topic.partitions().size()) {
                logs.createPartitions(topic.name(), topic.partitions().size());
            }
        }
        {
            for (TopicImage old : published.topics()) {
                TopicMetadata local = logs.topic(old.name());
                if (image.topic(old.topicId()) == null && local != null && local.topicId().equals(old.topicId())) {
                    log.info("Deleting local logs of topic {} (id {}): deleted from the cluster metadata", old.name(),
                        old.topicId());
                    logs.deleteTopic(old.name());
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
