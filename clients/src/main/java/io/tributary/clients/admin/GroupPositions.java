package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Where a group stands in its partitions, and moving it: the lag report (committed offset against log end
 * offset, with the member each partition is assigned to) and offset resets (targets computed from
 * ListOffsets, then committed as the admin commits). Each step is a separately retried admin call; a reset is
 * only ever committed after every target was computed, so a failure leaves the group's offsets untouched.
 */
final class GroupPositions {
    private final AdminContext ctx;
    private final GroupOperations groups;
    private final OffsetOperations offsets;

    GroupPositions(AdminContext ctx, GroupOperations groups, OffsetOperations offsets) {
        this.ctx = ctx;
        this.groups = groups;
        this.offsets = offsets;
    }

    CompletableFuture<Map<TopicPartition, CommittedOffset>> committed(String groupId, Collection<TopicPartition> partitions) {
        return ctx.retrying("Fetching the committed offsets of group '" + groupId + "'", () -> groups.committedOffsets(groupId, partitions));
    }

    CompletableFuture<GroupDescription> describe(String groupId) {
        return ctx.retrying("Describing group '" + groupId + "'", () -> groups.describeGroup(groupId));
    }

    /** The offsets {@code spec} finds for {@code partitions}; any partition's failure fails the whole. */
    private CompletableFuture<Map<TopicPartition, ListedOffset>> listed(Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        return ctx.retrying("Listing " + spec + " offsets", () -> offsets.listOffsets(specs)).thenApply(outcomes -> {
            Map<TopicPartition, ListedOffset> found = new HashMap<>();
            outcomes.forEach((tp, outcome) -> found.put(tp, outcome.join()));
            return found;
        });
    }

    // ------------------------------------------------------------------ resets

    /**
     * The new offset of each partition, without committing anything.
     *
     * @param partitions empty for every partition the group has committed offsets for
     */
    CompletableFuture<Map<TopicPartition, Long>> plan(String groupId, Collection<TopicPartition> partitions, OffsetReset reset) {
        return committed(groupId, null).thenCompose(committed -> {
            TreeSet<TopicPartition> targets = new TreeSet<>(GroupOperations.partitionOrder());
            targets.addAll(partitions.isEmpty() ? committed.keySet() : partitions);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("Group '" + groupId + "' has no committed offsets to reset; name the "
                    + "partitions or topics to reset");
            }
            CompletableFuture<Map<TopicPartition, ListedOffset>> earliest = listed(targets, OffsetSpec.earliest());
            CompletableFuture<Map<TopicPartition, ListedOffset>> latest = listed(targets, OffsetSpec.latest());
            CompletableFuture<Map<TopicPartition, ListedOffset>> atTime = reset.kind() == OffsetReset.Kind.TIMESTAMP
                ? listed(targets, OffsetSpec.forTimestamp(reset.value())) : CompletableFuture.completedFuture(Map.of());
            return CompletableFuture.allOf(earliest, latest, atTime).thenApply(ignored -> {
                Map<TopicPartition, Long> plan = new LinkedHashMap<>();
                for (TopicPartition tp : targets) {
                    CommittedOffset current = committed.get(tp);
                    ListedOffset found = atTime.join().get(tp);
                    plan.put(tp, reset.target(tp, current == null ? -1 : current.offset(), earliest.join().get(tp).offset(),
                        latest.join().get(tp).offset(), found == null ? -1 : found.offset()));
                }
                return plan;
            });
        });
    }

    /**
     * Checks that the group has no members, computes the plan and commits it.
     *
     * @return the offsets committed
     */
    CompletableFuture<Map<TopicPartition, Long>> reset(String groupId, Collection<TopicPartition> partitions, OffsetReset reset) {
        return describe(groupId).handle((description, error) -> {
            if (error != null && !(AdminContext.unwrap(error) instanceof GroupIdNotFoundException)) {
                throw AdminContext.asTributary(error, "Describing group '" + groupId + "'");
            }
            if (description != null && !description.isInactive()) {
                throw new GroupNotEmptyException(ErrorCode.NON_EMPTY_GROUP, groupId, AdminErrors.message("Resetting the offsets of group '"
                    + groupId + "'", ErrorCode.NON_EMPTY_GROUP, "the group is " + description.state() + " with "
                    + description.members().size() + " member(s); offsets can be reset only while it has none"), null);
            }
            return description;
        }).thenCompose(inactive -> plan(groupId, partitions, reset)).thenCompose(plan -> {
            Map<TopicPartition, CommittedOffset> commits = new LinkedHashMap<>();
            plan.forEach((tp, offset) -> commits.put(tp, CommittedOffset.of(offset)));
            return ctx.retrying("Committing offsets of group '" + groupId + "'", () -> groups.commitOffsets(groupId, commits))
                .thenApply(outcomes -> {
                    for (TopicPartition tp : plan.keySet()) {
                        CompletableFuture<Void> outcome = outcomes.get(tp);
                        if (outcome == null) {
                            throw new IllegalStateException("Committing offsets of group '" + groupId
                                + "': the coordinator's answer says nothing about " + tp);
                        }
                        outcome.join();
                    }
                    return plan;
                });
        });
    }

    // ------------------------------------------------------------------ lag

    /**
     * Every partition the group has committed offsets for or has assigned to a member, with its lag; sorted by
     * topic and partition. A partition whose log end cannot be read (its topic was deleted) reports -1.
     */
    CompletableFuture<List<PartitionLag>> lag(String groupId) {
        // A group the coordinator does not describe may still hold offsets (committed by an admin, or by a
        // consumer that assigns partitions itself): its lag is still worth reporting.
        CompletableFuture<List<MemberDescription>> members = describe(groupId).handle((description, error) -> {
            if (error == null) {
                return description.members();
            }
            if (AdminContext.unwrap(error) instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw AdminContext.asTributary(error, "Describing group '" + groupId + "'");
        });
        return members.thenCompose(described -> committed(groupId, null).thenCompose(committed -> {
            if (committed.isEmpty() && described.isEmpty()) {
                throw AdminErrors.forGroup(ErrorCode.GROUP_ID_NOT_FOUND, "Reporting the lag of", groupId, null);
            }
            Map<TopicPartition, MemberDescription> owners = new TreeMap<>(GroupOperations.partitionOrder());
            for (MemberDescription m : described) {
                m.assignment().forEach(tp -> owners.put(tp, m));
            }
            TreeSet<TopicPartition> all = new TreeSet<>(GroupOperations.partitionOrder());
            all.addAll(committed.keySet());
            all.addAll(owners.keySet());
            if (all.isEmpty()) {
                return CompletableFuture.completedFuture(List.<PartitionLag>of());
            }
            Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
            all.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
            return ctx.retrying("Listing the log end offsets of group '" + groupId + "'", () -> offsets.listOffsets(specs))
                .thenApply(ends -> {
                    List<PartitionLag> lags = new ArrayList<>(all.size());
                    for (TopicPartition tp : all) {
                        CompletableFuture<ListedOffset> end = ends.get(tp);
                        long logEnd = end == null || end.isCompletedExceptionally() ? -1 : end.join().offset();
                        CommittedOffset c = committed.get(tp);
                        long position = c == null ? -1 : c.offset();
                        MemberDescription owner = owners.get(tp);
                        lags.add(new PartitionLag(tp, position, logEnd, position < 0 || logEnd < 0 ? -1 : Math.max(0, logEnd - position),
                            owner == null ? null : owner.memberId(), owner == null ? null : owner.clientId(),
                            owner == null ? null : owner.host()));
                    }
                    return lags;
                });
        }));
    }
}
