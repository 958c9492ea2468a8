package io.tributary.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.AlterConfigOp;
import io.tributary.clients.admin.Config;
import io.tributary.clients.admin.ConfigEntry;
import io.tributary.clients.admin.ConfigResource;
import io.tributary.clients.admin.CreatedTopic;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.PartitionDescription;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.TopicListing;
import io.tributary.console.BrokerStats;
import io.tributary.console.http.ApiProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The topic pages: the list, one topic's partitions, create, add partitions, delete, and configs. Every input is
 * checked before anything is sent (a name, a partition count within {@link #MAX_PARTITIONS}, config values as
 * strings), and what the broker refuses comes back as its error; a refused request changes nothing.
 */
final class Topics {
    /** More partitions than this in one request is a typo, not a plan. */
    static final int MAX_PARTITIONS = 10_000;

    private final ClusterClients clients;
    private final BrokerStats stats;
    private final TopicRates rates;

    Topics(ClusterClients clients, BrokerStats stats, TopicRates rates) {
        this.clients = clients;
        this.stats = stats;
        this.rates = rates;
    }

    List<Map<String, Object>> list() {
        List<TopicListing> listed = clients.await(clients.admin().listTopics(true));
        List<String> names = listed.stream().map(TopicListing::name).toList();
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> described = clients.await(clients.admin().describeTopics(names).all());
        List<ConfigResource> resources = names.stream().map(ConfigResource::topic).toList();
        // Per topic: a user whose ACLs allow describing a topic but not its configs still gets the topic, without them.
        var configResults = clients.admin().describeConfigs(resources);
        Map<ConfigResource, Config> configs = new HashMap<>();
        for (ConfigResource r : resources) {
            try {
                configs.put(r, clients.admin().await(configResults.get(r)));
            } catch (io.tributary.clients.errors.ApiException e) {
                if (e.errorCode() != io.tributary.protocol.ErrorCode.TOPIC_AUTHORIZATION_FAILED) {
                    throw KafkaErrors.problem(e);
                }
            } catch (RuntimeException e) {
                throw KafkaErrors.problem(e);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopicListing t : listed) {
            TopicDescription d = described.get(t.name());
            Config c = configs.get(ConfigResource.topic(t.name()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("internal", t.internal());
            row.put("partitions", d == null ? t.partitions() : d.partitions().size());
            row.put("replicationFactor", d == null || d.partitions().isEmpty() ? null : d.partitions().get(0).replicas().size());
            row.put("size", d == null ? null : size(d));
            row.put("recordsInPerSec", rates.recordsInRate(t.name()));
            row.put("routingMode", c == null ? null : c.value("routing.mode"));
            row.put("retentionMs", c == null || c.value("retention.ms") == null ? null : parseOrNull(c.value("retention.ms")));
            row.put("cleanupPolicy", c == null ? null : c.value("cleanup.policy"));
            out.add(row);
        }
        return out;
    }

    private Long size(TopicDescription d) {
        if (stats == null) {
            return null;
        }
        long sum = 0;
        for (PartitionDescription p : d.partitions()) {
            OptionalLong s = stats.partitionSize(d.name(), p.partition());
            if (s.isEmpty()) {
                return null;
            }
            sum += s.getAsLong();
        }
        return sum;
    }

    private static Long parseOrNull(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The topic, or 404 UNKNOWN_TOPIC_OR_PARTITION. */
    TopicDescription description(String topic) {
        return clients.await(clients.admin().describeTopic(topic));
    }

    Map<String, Object> describe(String topic) {
        TopicDescription d = description(topic);
        List<TopicPartition> parts = d.topicPartitions();
        Map<TopicPartition, Long> starts = ConsoleApi.offsets(clients, parts, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, parts, OffsetSpec.latest());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PartitionDescription p : d.partitions()) {
            TopicPartition tp = new TopicPartition(topic, p.partition());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", p.partition());
            row.put("leader", p.leader() == null || p.leader().id() < 0 ? null : p.leader().id());
            row.put("leaderEpoch", p.leaderEpoch());
            row.put("replicas", p.replicas());
            row.put("isr", p.isr());
            row.put("startOffset", starts.get(tp));
            row.put("endOffset", ends.get(tp));
            row.put("size", stats == null ? null : stats.partitionSize(topic, p.partition()).stream().boxed().findFirst().orElse(null));
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("topicId", String.valueOf(d.topicId()));
        out.put("internal", d.internal());
        out.put("size", size(d));
        out.put("recordsInPerSec", rates.recordsInRate(topic));
        out.put("rates", rates.samples(topic));
        out.put("partitions", rows);
        return out;
    }

    /** Sum of end offsets per topic (records ever appended, less nothing: retention moves starts, not ends). */
    Map<String, Long> endOffsetSums() {
        List<TopicListing> listed = clients.await(clients.admin().listTopics(false));
        if (listed.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> parts = clients.await(clients.admin().partitionsOf(listed.stream().map(TopicListing::name).toList()));
        Map<TopicPartition, Long> ends = ConsoleApi.offsets(clients, parts, OffsetSpec.latest());
        Map<String, Long> sums = new HashMap<>();
        ends.forEach((tp, end) -> sums.merge(tp.topic(), Math.max(0, end), Long::sum));
        return sums;
    }

    Map<String, Object> create(JsonNode body) {
        String name = requiredText(body, "name");
        int partitions = body.has("partitions") ? intField(body, "partitions", 1, MAX_PARTITIONS) : -1;
        int replication = body.has("replicationFactor") && !body.get("replicationFactor").isNull()
            ? intField(body, "replicationFactor", 1, Short.MAX_VALUE) : -1;
        Map<String, String> configs = stringMap(body, "configs");
        NewTopic topic = new NewTopic(name, partitions, (short) replication, configs);
        CreatedTopic created = clients.await(clients.admin().createTopic(topic));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", created.name());
        out.put("partitions", created.partitions());
        out.put("replicationFactor", created.replicationFactor());
        out.put("configs", created.configs());
        return out;
    }

    Map<String, Object> delete(String topic, String confirm) {
        if (confirm == null || !confirm.equals(topic)) {
            throw ApiProblem.badRequest("Deleting topic '" + topic + "' needs its name typed again as confirm=" + topic
                + (confirm == null ? "" : ", got '" + confirm + "'"));
        }
        TopicDescription d = description(topic);
        if (d.internal()) {
            throw ApiProblem.badRequest("Topic '" + topic + "' is internal (the brokers' own); the console does not delete it");
        }
        clients.await(clients.admin().deleteTopic(topic));
        return Map.of("deleted", topic);
    }

    Map<String, Object> addPartitions(String topic, JsonNode body) {
        int count = intField(body, "count", 1, MAX_PARTITIONS);
        int current = description(topic).partitions().size();
        if (count <= current) {
            throw new ApiProblem(400, "INVALID_PARTITIONS", "Topic '" + topic + "' has " + current
                + " partitions; the new count must be larger (a topic's partitions can only grow), got " + count);
        }
        clients.await(clients.admin().addPartitions(topic, count));
        return Map.of("topic", topic, "partitions", count);
    }

    List<Map<String, Object>> configs(String topic) {
        description(topic); // 404 for an unknown topic, rather than whatever DescribeConfigs says
        Config config = clients.await(clients.admin().describeConfig(ConfigResource.topic(topic)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("value", e.sensitive() ? null : e.value());
            row.put("source", e.source().name());
            row.put("isDefault", e.isDefault());
            row.put("readOnly", e.readOnly());
            row.put("sensitive", e.sensitive());
            row.put("documentation", e.documentation());
            out.add(row);
        }
        out.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        return out;
    }

    Map<String, Object> alterConfigs(String topic, JsonNode body) {
        Map<String, String> set = stringMap(body, "set");
        List<String> deleted = new ArrayList<>();
        JsonNode del = body.get("delete");
        if (del != null && !del.isNull()) {
            if (!del.isArray()) {
                throw ApiProblem.badRequest("delete must be a list of config names, got " + del.getNodeType());
            }
            for (JsonNode n : del) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw ApiProblem.badRequest("delete must list config names as strings, got " + n);
                }
                deleted.add(n.asText());
            }
        }
        if (set.isEmpty() && deleted.isEmpty()) {
            throw ApiProblem.badRequest("Nothing to change: give set {name: value} and/or delete [name]");
        }
        description(topic);
        List<AlterConfigOp> ops = new ArrayList<>();
        set.forEach((k, v) -> ops.add(AlterConfigOp.set(k, v)));
        deleted.forEach(k -> ops.add(AlterConfigOp.delete(k)));
        clients.await(clients.admin().alterConfig(ConfigResource.topic(topic), ops));
        return Map.of("topic", topic, "set", set, "deleted", deleted);
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || !n.isTextual() || n.asText().isBlank()) {
            throw ApiProblem.badRequest(field + " is required as a non-empty string" + (n == null ? "" : ", got " + n));
        }
        return n.asText();
    }

    static int intField(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        long v;
        if (n != null && n.isIntegralNumber()) {
            v = n.canConvertToLong() ? n.asLong() : Long.MAX_VALUE;
        } else if (n != null && n.isTextual()) {
            v = io.tributary.console.http.ApiRequest.parseLong(field, n.asText(), Long.MIN_VALUE, Long.MAX_VALUE);
        } else {
            throw ApiProblem.badRequest(field + " is required as a whole number between " + min + " and " + max
                + (n == null ? "" : ", got " + n));
        }
        if (v < min || v > max) {
            throw ApiProblem.badRequest(field + " must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    static Map<String, String> stringMap(JsonNode body, String field) {
        JsonNode n = body.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw ApiProblem.badRequest(field + " must be an object of name: value strings, got " + n.getNodeType());
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull() || v.isContainerNode()) {
                throw ApiProblem.badRequest(field + "." + e.getKey() + " must be a string or number, got " + v);
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }
}
