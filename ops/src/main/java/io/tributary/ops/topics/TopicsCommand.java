package io.tributary.ops.topics;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.AlterConfigOp;
import io.tributary.clients.admin.Config;
import io.tributary.clients.admin.ConfigResource;
import io.tributary.clients.admin.CreatedTopic;
import io.tributary.clients.admin.ListedOffset;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.PartitionDescription;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.TopicListing;
import io.tributary.ops.arguments.KeyValues;
import io.tributary.ops.broker.AdminSession;
import io.tributary.ops.broker.BrokerOptions;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.ops.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code tributary topics}: list, create, describe, alter and delete topics with Tributary's admin client, as
 * kafka-topics does. Each subcommand prints a table, or one JSON document with {@code --output json}.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "List, create, describe, alter and delete topics.",
    subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.CreateTopic.class, TopicsCommand.DescribeTopic.class,
        TopicsCommand.AlterTopic.class, TopicsCommand.DeleteTopic.class})
public final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: list, create, describe, alter or delete");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The topics, with their partition counts and ids.")
    static final class ListTopics implements Callable<Integer> {
        @Option(names = "--include-internal", description = "Also list internal topics (__consumer_offsets).")
        boolean includeInternal;

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<TopicListing> topics;
            try (AdminSession session = AdminSession.open(broker)) {
                topics = new ArrayList<>(session.await(session.admin().listTopics(includeInternal)));
            }
            topics.sort((a, b) -> a.name().compareTo(b.name()));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Object> json = new ArrayList<>();
                for (TopicListing t : topics) {
                    Map<String, Object> topic = new LinkedHashMap<>();
                    topic.put("name", t.name());
                    topic.put("partitions", t.partitions());
                    topic.put("topicId", String.valueOf(t.topicId()));
                    topic.put("internal", t.internal());
                    json.add(topic);
                }
                out.println(Json.write(json));
            } else {
                Table table = new Table("TOPIC", "PARTITIONS", "TOPIC ID");
                topics.forEach(t -> table.row(t.name() + (t.internal() ? " (internal)" : ""), t.partitions(), t.topicId()));
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class CreateTopic implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        @Option(names = "--partitions", paramLabel = "N", description = "Number of partitions (default: the broker's num.partitions).")
        Integer partitions;

        @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1",
            description = "Replicas per partition; a single broker keeps 1 (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A topic config (docs/CONFIGURATION.md, topic keys); repeatable.")
        List<String> configs = new ArrayList<>();

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine cli = spec.commandLine();
            if (partitions != null && partitions < 1) {
                throw new CommandLine.ParameterException(cli, "--partitions must be 1 or more, got " + partitions);
            }
            if (replicationFactor < 1) {
                throw new CommandLine.ParameterException(cli, "--replication-factor must be 1 or more, got " + replicationFactor);
            }
            Map<String, String> overrides = KeyValues.parse(cli, "--config", configs);
            NewTopic topic = (partitions == null ? NewTopic.withDefaults(name) : NewTopic.of(name, partitions))
                .withReplicationFactor(replicationFactor).withConfigs(overrides);
            CreatedTopic created;
            try (AdminSession session = AdminSession.open(broker)) {
                created = session.await(session.admin().createTopic(topic));
            }
            PrintWriter out = cli.getOut();
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", created.name());
                json.put("topicId", String.valueOf(created.topicId()));
                json.put("partitions", created.partitions());
                json.put("replicationFactor", created.replicationFactor());
                json.put("configs", new TreeMap<>(overrides));
                out.println(Json.write(json));
            } else {
                out.println("Created topic " + created.name() + " with " + created.partitions() + " partition(s), topic id "
                    + created.topicId() + (overrides.isEmpty() ? "." : ", configs " + new TreeMap<>(overrides) + "."));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "A topic's partitions (leader, log start and end offsets, records) and its config overrides.")
    static final class DescribeTopic implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The topic.")
        String name;

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TopicDescription topic;
            Map<TopicPartition, ListedOffset> starts;
            Map<TopicPartition, ListedOffset> ends;
            Config config;
            try (AdminSession session = AdminSession.open(broker)) {
                topic = session.await(session.admin().describeTopic(name));
                starts = session.await(session.admin().listOffsets(name, OffsetSpec.earliest()));
                ends = session.await(session.admin().listOffsets(name, OffsetSpec.latest()));
                config = session.await(session.admin().describeConfig(ConfigResource.topic(name)));
            }
            Map<String, String> overrides = new TreeMap<>(config.overrides());
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Object> partitions = new ArrayList<>();
                for (PartitionDescription p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partition());
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("partition", p.partition());
                    json.put("leader", p.leader() == null ? null : p.leader().id());
                    json.put("replicas", p.replicas());
                    json.put("isr", p.isr());
                    json.put("logStartOffset", offset(starts.get(tp)));
                    json.put("logEndOffset", offset(ends.get(tp)));
                    partitions.add(json);
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", topic.name());
                json.put("topicId", String.valueOf(topic.topicId()));
                json.put("internal", topic.internal());
                json.put("partitions", partitions);
                json.put("configs", overrides);
                out.println(Json.write(json));
            } else {
                out.println("Topic " + topic.name() + (topic.internal() ? " (internal)" : "") + ": " + topic.partitions().size()
                    + " partition(s), topic id " + topic.topicId());
                Table table = new Table("PARTITION", "LEADER", "REPLICAS", "ISR", "LOG START OFFSET", "LOG END OFFSET", "RECORDS");
                long total = 0;
                for (PartitionDescription p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partition());
                    Long start = offset(starts.get(tp));
                    Long end = offset(ends.get(tp));
                    Long records = start == null || end == null ? null : end - start;
                    total += records == null ? 0 : records;
                    table.row(p.partition(), p.leader() == null ? null : p.leader().id(), p.replicas(), p.isr(), start, end, records);
                }
                table.print(out);
                out.println("Records: " + total + " (log end minus log start, summed)");
                out.println(overrides.isEmpty() ? "Configs: broker defaults" : "Configs (overrides): " + overrides);
            }
            out.flush();
            return 0;
        }

        private static Long offset(ListedOffset listed) {
            return listed == null || !listed.found() ? null : listed.offset();
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Add partitions to a topic, or set and remove its config overrides.")
    static final class AlterTopic implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The topic.")
        String name;

        @Option(names = "--partitions", paramLabel = "N", description = "The new partition count (more than now; partitions are never removed).")
        Integer partitions;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a topic config; repeatable.")
        List<String> configs = new ArrayList<>();

        @Option(names = "--delete-config", paramLabel = "KEY", description = "Remove an override (back to the broker default); repeatable.")
        List<String> deleteConfigs = new ArrayList<>();

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine cli = spec.commandLine();
            if (partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
                throw new CommandLine.ParameterException(cli, "Nothing to alter: give --partitions, --config or --delete-config");
            }
            if (partitions != null && partitions < 1) {
                throw new CommandLine.ParameterException(cli, "--partitions must be 1 or more, got " + partitions);
            }
            Map<String, String> set = KeyValues.parse(cli, "--config", configs);
            List<AlterConfigOp> ops = new ArrayList<>();
            set.forEach((k, v) -> ops.add(AlterConfigOp.set(k, v)));
            deleteConfigs.forEach(k -> ops.add(AlterConfigOp.delete(k)));
            List<String> done = new ArrayList<>();
            try (AdminSession session = AdminSession.open(broker)) {
                if (!ops.isEmpty()) {
                    session.await(session.admin().alterConfig(ConfigResource.topic(name), ops));
                    if (!set.isEmpty()) {
                        done.add("set " + new TreeMap<>(set));
                    }
                    if (!deleteConfigs.isEmpty()) {
                        done.add("removed " + deleteConfigs);
                    }
                }
                if (partitions != null) {
                    session.await(session.admin().addPartitions(name, partitions));
                    done.add("now " + partitions + " partitions");
                }
            }
            PrintWriter out = cli.getOut();
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", name);
                json.put("partitions", partitions);
                json.put("set", new TreeMap<>(set));
                json.put("removed", deleteConfigs);
                out.println(Json.write(json));
            } else {
                out.println("Altered topic " + name + ": " + String.join("; ", done) + ".");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
    static final class DeleteTopic implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The topic.")
        String name;

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession session = AdminSession.open(broker)) {
                session.await(session.admin().deleteTopic(name));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(output.json() ? Json.write(Map.of("deleted", name)) : "Deleted topic " + name + ".");
            out.flush();
            return 0;
        }
    }
}
