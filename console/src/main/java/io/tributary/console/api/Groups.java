package io.tributary.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.CommittedOffset;
import io.tributary.clients.admin.GroupDescription;
import io.tributary.clients.admin.GroupListing;
import io.tributary.clients.admin.MemberDescription;
import io.tributary.clients.admin.OffsetReset;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.PartitionLag;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.GroupState;
import io.tributary.console.http.ApiProblem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer-group pages: the list with state, members and total lag; one group's members, assignments and
 * per-partition committed offset, end offset and lag with its lag history; and offset resets, previewed (the
 * plan, nothing committed) or executed, which is refused while the group has members, as the CLI does.
 */
final class Groups {
    private final ClusterClients clients;
    private final Topics topics;
    private final LagHistory history;

    Groups(ClusterClients clients, Topics topics, LagHistory history) {
        this.clients = clients;
        this.topics = topics;
        this.history = history;
    }

    List<Map<String, Object>> list() {
        List<GroupListing> listed = clients.await(clients.admin().listGroups());
        if (listed.isEmpty()) {
            return List.of();
        }
        List<String> ids = listed.stream().map(GroupListing::groupId).toList();
        Map<String, GroupDescription> described = clients.await(clients.admin().describeGroups(ids).all());
        Map<String, CompletableFuture<List<PartitionLag>>> lags = new LinkedHashMap<>();
        ids.forEach(id -> lags.put(id, clients.admin().groupLag(id)));
        long now = System.currentTimeMillis();
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupListing g : listed) {
            GroupDescription d = described.get(g.groupId());
            Long total = null;
            try {
                total = totalLag(clients.admin().await(lags.get(g.groupId())));
                history.record(g.groupId(), now, total);
            } catch (RuntimeException e) {
                // one group's lag failing (its coordinator moving) leaves its cell empty, not the page broken
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("groupId", g.groupId());
            row.put("state", (d == null ? g.state() : d.state()).toString());
            row.put("protocolType", g.protocolType());
            row.put("members", d == null ? null : d.members().size());
            row.put("totalLag", total);
            out.add(row);
        }
        out.sort(Comparator.comparing(r -> (String) r.get("groupId")));
        return out;
    }

    private static long totalLag(List<PartitionLag> lags) {
        return lags.stream().mapToLong(l -> Math.max(0, l.lag())).sum();
    }

    void sampleLag(String group, long now) {
        history.record(group, now, totalLag(clients.await(clients.admin().groupLag(group))));
    }

    Map<String, Object> describe(String group) {
        GroupDescription d = clients.await(clients.admin().describeGroup(group));
        List<PartitionLag> lags = clients.await(clients.admin().groupLag(group));
        if ((d.state() == GroupState.DEAD || d.state() == GroupState.UNKNOWN) && lags.isEmpty()) {
            throw new ApiProblem(404, "GROUP_ID_NOT_FOUND", "No group '" + group + "': it has no members and no committed offsets");
        }
        long now = System.currentTimeMillis();
        history.viewed(group, now);
        history.record(group, now, totalLag(lags));
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("memberId", m.memberId());
            row.put("groupInstanceId", m.groupInstanceId());
            row.put("clientId", m.clientId());
            row.put("host", m.host());
            row.put("assignment", m.assignment().stream().map(TopicPartition::toString).toList());
            members.add(row);
        }
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (PartitionLag l : lags) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("topic", l.partition().topic());
            row.put("partition", l.partition().partition());
            row.put("committedOffset", l.committedOffset() < 0 ? null : l.committedOffset());
            row.put("endOffset", l.logEndOffset());
            row.put("lag", l.lag() < 0 ? null : l.lag());
            row.put("memberId", l.memberId());
            row.put("clientId", l.clientId());
            partitions.add(row);
        }
        partitions.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("topic"))
            .thenComparing(r -> (Integer) r.get("partition")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupId", group);
        out.put("state", d.state().toString());
        out.put("protocolType", d.protocolType());
        out.put("protocol", d.protocol());
        out.put("coordinator", d.coordinator() == null ? null : d.coordinator().id());
        out.put("members", members);
        out.put("partitions", partitions);
        out.put("totalLag", totalLag(lags));
        out.put("lagHistory", history.points(group));
        return out;
    }

    /**
     * {@code {topic?, partitions?: [int], to: earliest|latest|timestamp|offset|shift, value?, execute?: bool}}:
     * the plan as rows of current and new offsets; with execute, commits it unless the group has members.
     */
    Map<String, Object> reset(String group, JsonNode body) {
        String to = Topics.requiredText(body, "to");
        OffsetReset reset = switch (to) {
            case "earliest" -> OffsetReset.toEarliest();
            case "latest" -> OffsetReset.toLatest();
            case "timestamp" -> OffsetReset.toTimestamp(longValue(body, 0, Long.MAX_VALUE));
            case "offset" -> OffsetReset.toOffset(longValue(body, 0, Long.MAX_VALUE));
            case "shift" -> OffsetReset.shiftBy(longValue(body, Long.MIN_VALUE + 1, Long.MAX_VALUE));
            default -> throw ApiProblem.badRequest("to must be earliest, latest, timestamp, offset or shift; got '" + to + "'");
        };
        boolean execute = body.has("execute") && body.get("execute").asBoolean(false);
        List<TopicPartition> partitions = new ArrayList<>();
        JsonNode topicNode = body.get("topic");
        if (topicNode != null && !topicNode.isNull() && !topicNode.asText().isEmpty()) {
            TopicDescription d = topics.description(topicNode.asText());
            Set<Integer> asked = new HashSet<>();
            JsonNode ps = body.get("partitions");
            if (ps != null && !ps.isNull()) {
                if (!ps.isArray()) {
                    throw ApiProblem.badRequest("partitions must be a list of partition numbers, got " + ps.getNodeType());
                }
                for (JsonNode p : ps) {
                    if (!p.isIntegralNumber() || p.asLong() < 0 || p.asLong() >= d.partitions().size()) {
                        throw new ApiProblem(404, "UNKNOWN_TOPIC_OR_PARTITION", "Topic '" + d.name() + "' has partitions 0.."
                            + (d.partitions().size() - 1) + "; got " + p);
                    }
                    asked.add(p.asInt());
                }
            }
            for (TopicPartition tp : d.topicPartitions()) {
                if (asked.isEmpty() || asked.contains(tp.partition())) {
                    partitions.add(tp);
                }
            }
        } else if (body.has("partitions")) {
            throw ApiProblem.badRequest("partitions needs a topic");
        }
        GroupDescription d = clients.await(clients.admin().describeGroup(group));
        Map<TopicPartition, CommittedOffset> current = clients.await(clients.admin().listCommittedOffsets(group));
        if (partitions.isEmpty() && current.isEmpty()) {
            throw ApiProblem.badRequest("Group '" + group + "' has no committed offsets; name a topic to reset");
        }
        if (execute && !d.isInactive()) {
            throw new ApiProblem(409, "NON_EMPTY_GROUP", "Group '" + group + "' is " + d.state() + " with " + d.members().size()
                + " member(s); offsets can be reset only while it has none — stop its consumers first");
        }
        Map<TopicPartition, Long> plan = execute
            ? clients.await(clients.admin().resetOffsets(group, partitions, reset))
            : clients.await(clients.admin().planOffsetReset(group, partitions, reset));
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, new ArrayList<>(plan.keySet()), OffsetSpec.latest());
        List<Map<String, Object>> rows = new ArrayList<>();
        plan.forEach((tp, target) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("topic", tp.topic());
            row.put("partition", tp.partition());
            CommittedOffset c = current.get(tp);
            row.put("currentOffset", c == null ? null : c.offset());
            row.put("newOffset", target);
            row.put("endOffset", ends.get(tp));
            row.put("lagAfter", ends.get(tp) == null ? null : Math.max(0, ends.get(tp) - target));
            rows.add(row);
        });
        rows.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("topic"))
            .thenComparing(r -> (Integer) r.get("partition")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupId", group);
        out.put("executed", execute);
        out.put("state", d.state().toString());
        out.put("plan", rows);
        return out;
    }

    private static long longValue(JsonNode body, long min, long max) {
        JsonNode n = body.get("value");
        if (n == null || n.isNull()) {
            throw ApiProblem.badRequest("value is required for this reset (a whole number)");
        }
        if (n.isTextual()) {
            return io.tributary.console.http.ApiRequest.parseLong("value", n.asText(), min, max);
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiProblem.badRequest("value must be a whole number, got " + n);
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw ApiProblem.badRequest("value must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
