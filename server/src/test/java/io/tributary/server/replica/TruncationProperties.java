package io.tributary.server.replica;

import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.log.epoch.EpochEntry;
import io.tributary.log.epoch.LeaderEpochCheckpointFile;
import io.tributary.log.epoch.LeaderEpochFileCache;
import io.tributary.protocol.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Truncation} against a model of two diverged logs: a follower that repeatedly fetches with its last epoch, gets
 * the leader's diverging epoch (the leader's real {@link LeaderEpochFileCache} answers) and truncates, ends with exactly
 * the entries it shares with the leader — never fewer (no acknowledged entry is lost) and never more (no divergent entry
 * survives), whichever side wrote more and in which epochs.
 *
 * <p>Model: a log is one epoch per offset. Both logs share a prefix; then at most one of them continued the prefix's last
 * epoch (entries of one epoch at one offset are the same entries, so both cannot), and each went on in epochs of its
 * own (the other never led in them). The leader's cache also holds its current epoch, above every other, starting at
 * its log end (as {@code startLeaderEpoch} records it).
 */
class TruncationProperties {
    private static final TopicPartition TP = new TopicPartition("model", 0);
    private static final LeaderEpochCheckpointFile NEVER_WRITTEN = new LeaderEpochCheckpointFile(Path.of("never-written"));

    record Diverged(List<Integer> shared, List<Integer> follower, List<Integer> leader) {
    }

    @Provide
    Arbitrary<Diverged> diverged() {
        Arbitrary<List<Integer>> prefix = Arbitraries.integers().between(0, 4).list().ofMaxSize(8).map(TruncationProperties::sorted);
        Arbitrary<Integer> continued = Arbitraries.integers().between(-3, 3); // < 0: the leader continued, > 0: the follower
        Arbitrary<List<Integer>> followerEpochs = Arbitraries.integers().between(5, 30).list().ofMaxSize(6);
        Arbitrary<List<Integer>> leaderEpochs = Arbitraries.integers().between(5, 30).list().ofMaxSize(6);
        Arbitrary<Integer> parity = Arbitraries.integers().between(0, 1);
        return Combinators.combine(prefix, continued, followerEpochs, leaderEpochs, parity).as((shared, more, f, l, odd) -> {
            // Each side's own epochs: disjoint (the follower gets the even ones, the leader the odd ones, or the reverse).
            List<Integer> followerOwn = sorted(f.stream().map(e -> e * 2 + odd).toList());
            List<Integer> leaderOwn = sorted(l.stream().map(e -> e * 2 + 1 - odd).toList());
            List<Integer> follower = new ArrayList<>(shared);
            List<Integer> leader = new ArrayList<>(shared);
            if (!shared.isEmpty()) {
                int last = shared.get(shared.size() - 1);
                for (int i = 0; i < Math.abs(more); i++) {
                    (more > 0 ? follower : leader).add(last);
                }
            }
            follower.addAll(followerOwn);
            leader.addAll(leaderOwn);
            return new Diverged(shared, follower, leader);
        });
    }

    @Property(tries = 500)
    void theFollowerEndsWithExactlyTheEntriesItSharesWithTheLeader(@ForAll("diverged") Diverged logs) {
        List<Integer> leader = logs.leader();
        int currentEpoch = 1 + IntStream.concat(leader.stream().mapToInt(Integer::intValue),
            logs.follower().stream().mapToInt(Integer::intValue)).max().orElse(0);
        List<EpochEntry> leaderEntries = entries(leader);
        leaderEntries.add(new EpochEntry(currentEpoch, leader.size()));
        LeaderEpochFileCache leaderCache = new LeaderEpochFileCache(TP, NEVER_WRITTEN, dedupe(leaderEntries));
        int sharedLength = commonPrefix(logs.follower(), leader);
        assertThat(sharedLength).isGreaterThanOrEqualTo(logs.shared().size());

        List<Integer> follower = new ArrayList<>(logs.follower());
        for (int round = 0; ; round++) {
            assertThat(round).as("converges").isLessThan(50);
            LeaderEpochFileCache followerCache = new LeaderEpochFileCache(TP, NEVER_WRITTEN, entries(follower));
            int lastFetched = followerCache.latestEpoch();
            long fetchOffset = follower.size();
            if (lastFetched < 0) {
                break; // an empty follower fetches from 0
            }
            // The leader's check (ReplicaManager.checkFollowerFetch)
            EpochEndOffset leaderEnd = leaderCache.endOffsetFor(lastFetched, leader.size());
            if (leaderEnd.epoch() >= lastFetched && leaderEnd.endOffset() >= fetchOffset) {
                break; // no divergence: the follower fetches from its end
            }
            Truncation truncation = Truncation.compute(leaderEnd, follower.size(),
                epoch -> followerCache.endOffsetFor(epoch, follower.size()));
            assertThat(truncation.offset()).as("never below the shared entries").isGreaterThanOrEqualTo(sharedLength)
                .isLessThanOrEqualTo(follower.size());
            boolean progressed = truncation.offset() < follower.size();
            follower.subList((int) truncation.offset(), follower.size()).clear();
            assertThat(progressed || truncation.complete()).as("an incomplete truncation makes progress").isTrue();
            if (!progressed) {
                break;
            }
        }
        assertThat(follower).isEqualTo(leader.subList(0, sharedLength));
    }

    private static List<Integer> sorted(List<Integer> epochs) {
        return epochs.stream().sorted().toList();
    }

    /** The cache entries of a log: each epoch's first offset. */
    private static List<EpochEntry> entries(List<Integer> log) {
        List<EpochEntry> entries = new ArrayList<>();
        for (int offset = 0; offset < log.size(); offset++) {
            if (offset == 0 || !log.get(offset).equals(log.get(offset - 1))) {
                entries.add(new EpochEntry(log.get(offset), offset));
            }
        }
        return entries;
    }

    /** The leader's current epoch replaces a last entry at the same offset (an epoch that wrote nothing). */
    private static List<EpochEntry> dedupe(List<EpochEntry> entries) {
        List<EpochEntry> kept = new ArrayList<>();
        for (EpochEntry entry : entries) {
            if (!kept.isEmpty() && kept.get(kept.size() - 1).startOffset() == entry.startOffset()) {
                kept.remove(kept.size() - 1);
            }
            kept.add(entry);
        }
        return kept;
    }

    private static int commonPrefix(List<Integer> a, List<Integer> b) {
        int length = 0;
        while (length < a.size() && length < b.size() && a.get(length).equals(b.get(length))) {
            length++;
        }
        return length;
    }
}
