package io.tributary.ops.groups;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.CommittedOffset;
import io.tributary.clients.admin.GroupDescription;
import io.tributary.clients.admin.GroupIdNotFoundException;
import io.tributary.clients.admin.GroupListing;
import io.tributary.clients.admin.GroupState;
import io.tributary.clients.admin.MemberDescription;
import io.tributary.clients.admin.OffsetReset;
import io.tributary.clients.admin.PartitionLag;
import io.tributary.ops.OperationFailedException;
import io.tributary.ops.arguments.TimeArguments;
import io.tributary.ops.broker.AdminSession;
import io.tributary.ops.broker.BrokerOptions;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.ops.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code tributary groups}: list, describe, reset the offsets of, and delete consumer groups with Tributary's
 * admin client, as kafka-consumer-groups does. {@code describe} shows members and their assignments, and per
 * partition the committed offset, the log end offset and the lag, with totals. {@code reset-offsets} is a dry
 * run unless {@code --execute} is given, and needs the group to have no members (as in Kafka).
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "List, describe, reset the offsets of, and delete consumer groups.",
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.DescribeGroup.class, GroupsCommand.ResetOffsets.class,
        GroupsCommand.DeleteGroup.class})
public final class GroupsCommand implements Callable<Integer> {
    static final Comparator<TopicPartition> PARTITION_ORDER =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: list, describe, reset-offsets or delete");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The consumer groups, with their states.")
    static final class ListGroups implements Callable<Integer> {
        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<GroupListing> groups;
            try (AdminSession session = AdminSession.open(broker)) {
                groups = new ArrayList<>(session.await(session.admin().listGroups()));
            }
            groups.sort(Comparator.comparing(GroupListing::groupId));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Object> json = new ArrayList<>();
                for (GroupListing g : groups) {
                    Map<String, Object> group = new LinkedHashMap<>();
                    group.put("group", g.groupId());
                    group.put("state", g.state().wireName());
                    group.put("protocolType", g.protocolType());
                    json.add(group);
                }
                out.println(Json.write(json));
            } else {
                Table table = new Table("GROUP", "STATE", "PROTOCOL TYPE");
                groups.forEach(g -> table.row(g.groupId(), g.state().wireName(), g.protocolType().isEmpty() ? "-" : g.protocolType()));
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "A group's state, members and assignments, and per partition its committed offset, log end offset and lag.")
    static final class DescribeGroup implements Callable<Integer> {
        @Parameters(paramLabel = "GROUP", description = "The group.")
        String groupId;

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            GroupDescription group;
            List<PartitionLag> lags;
            try (AdminSession session = AdminSession.open(broker)) {
                group = session.await(session.admin().describeGroup(groupId));
                lags = session.await(session.admin().groupLag(groupId));
            } catch (OperationFailedException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    throw new OperationFailedException("group " + groupId + " does not exist", e.getCause());
                }
                throw e;
            }
            if (group.state() == GroupState.DEAD && lags.isEmpty()) {
                throw new OperationFailedException("group " + groupId + " does not exist");
            }
            long totalLag = lags.stream().mapToLong(l -> Math.max(0, l.lag())).sum();
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                out.println(Json.write(json(group, lags, totalLag)));
                out.flush();
                return 0;
            }
            out.println("Group " + group.groupId() + ": " + group.state().wireName()
                + (group.protocol().isEmpty() ? "" : ", assignor " + group.protocol()) + ", " + group.members().size() + " member(s)"
                + (group.coordinator() == null ? "" : ", coordinator " + group.coordinator().id() + " at " + group.coordinator().address()));
            if (!group.members().isEmpty()) {
                out.println();
                Table members = new Table("MEMBER ID", "CLIENT ID", "HOST", "ASSIGNMENT");
                for (MemberDescription m : group.members()) {
                    members.row(m.memberId(), m.clientId(), m.host(), assignment(m.assignment()));
                }
                members.print(out);
            }
            out.println();
            Table partitions = new Table("TOPIC", "PARTITION", "COMMITTED OFFSET", "LOG END OFFSET", "LAG", "CLIENT ID");
            for (PartitionLag l : lags) {
                partitions.row(l.partition().topic(), l.partition().partition(), known(l.committedOffset()), known(l.logEndOffset()),
                    known(l.lag()), l.clientId());
            }
            partitions.print(out);
            out.println("Total lag: " + totalLag + " over " + lags.size() + " partition(s)");
            out.flush();
            return 0;
        }

        private static Map<String, Object> json(GroupDescription group, List<PartitionLag> lags, long totalLag) {
            List<Object> members = new ArrayList<>();
            for (MemberDescription m : group.members()) {
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("memberId", m.memberId());
                member.put("groupInstanceId", m.groupInstanceId());
                member.put("clientId", m.clientId());
                member.put("host", m.host());
                member.put("assignment", m.assignment().stream().map(TopicPartition::toString).toList());
                members.add(member);
            }
            List<Object> partitions = new ArrayList<>();
            for (PartitionLag l : lags) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("topic", l.partition().topic());
                p.put("partition", l.partition().partition());
                p.put("committedOffset", known(l.committedOffset()));
                p.put("logEndOffset", known(l.logEndOffset()));
                p.put("lag", known(l.lag()));
                p.put("memberId", l.memberId());
                p.put("clientId", l.clientId());
                partitions.add(p);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("group", group.groupId());
            json.put("state", group.state().wireName());
            json.put("protocolType", group.protocolType());
            json.put("assignor", group.protocol());
            json.put("members", members);
            json.put("partitions", partitions);
            json.put("totalLag", totalLag);
            return json;
        }

        private static String assignment(List<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return "-";
            }
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            partitions.stream().sorted(PARTITION_ORDER).forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
            List<String> parts = new ArrayList<>();
            byTopic.forEach((topic, ps) -> parts.add(topic + ":" + String.join(",", ps.stream().map(String::valueOf).toList())));
            return String.join(" ", parts);
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move a group's committed offsets for a topic (a dry run unless --execute).",
            "The group must have no active members. Example: tributary groups reset-offsets billing --topic orders --by-duration PT1H --execute"})
    static final class ResetOffsets implements Callable<Integer> {
        @Parameters(paramLabel = "GROUP", description = "The group.")
        String groupId;

        @Option(names = "--topic", paramLabel = "TOPIC[:P,...]", required = true,
            description = "The topic whose offsets move, all its partitions or those listed; repeatable.")
        List<String> topics = new ArrayList<>();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Mode mode = new Mode();

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        /** Where the offsets go: exactly one. */
        static final class Target {
            @Option(names = "--to-earliest", required = true, description = "The log start offset.")
            boolean earliest;
            @Option(names = "--to-latest", required = true, description = "The log end offset (skip everything not yet read).")
            boolean latest;
            @Option(names = "--to-datetime", required = true, paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
                description = "The first record at or after TIME, e.g. 2026-01-31T12:00:00Z.")
            Instant datetime;
            @Option(names = "--by-duration", required = true, paramLabel = "DURATION", converter = TimeArguments.DurationConverter.class,
                description = "The first record of the last DURATION, e.g. PT1H or 1h.")
            Duration duration;
            @Option(names = "--to-offset", required = true, paramLabel = "N", description = "Offset N (kept within the log).")
            Long offset;
            @Option(names = "--shift-by", required = true, paramLabel = "N", description = "The committed offset plus N (negative: back; kept within the log).")
            Long shift;
        }

        /** Whether to commit. */
        static final class Mode {
            @Option(names = "--dry-run", required = true, description = "Show what would be committed (the default).")
            boolean dryRun;
            @Option(names = "--execute", required = true, description = "Commit the new offsets.")
            boolean execute;
        }

        @Override
        public Integer call() {
            CommandLine cli = spec.commandLine();
            OffsetReset reset = reset(cli);
            Map<TopicPartition, Long> planned;
            Map<TopicPartition, CommittedOffset> before;
            try (AdminSession session = AdminSession.open(broker)) {
                List<TopicPartition> partitions = partitions(cli, session);
                before = session.await(session.admin().listCommittedOffsets(groupId));
                planned = mode.execute
                    ? session.await(session.admin().resetOffsets(groupId, partitions, reset))
                    : session.await(session.admin().planOffsetReset(groupId, partitions, reset));
            }
            TreeMap<TopicPartition, Long> sorted = new TreeMap<>(PARTITION_ORDER);
            sorted.putAll(planned);
            PrintWriter out = cli.getOut();
            if (output.json()) {
                List<Object> rows = new ArrayList<>();
                sorted.forEach((tp, offset) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("topic", tp.topic());
                    row.put("partition", tp.partition());
                    CommittedOffset old = before.get(tp);
                    row.put("previousOffset", old == null ? null : old.offset());
                    row.put("newOffset", offset);
                    rows.add(row);
                });
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("group", groupId);
                json.put("reset", reset.toString());
                json.put("executed", mode.execute);
                json.put("partitions", rows);
                out.println(Json.write(json));
            } else {
                Table table = new Table("TOPIC", "PARTITION", "PREVIOUS OFFSET", "NEW OFFSET");
                sorted.forEach((tp, offset) -> {
                    CommittedOffset old = before.get(tp);
                    table.row(tp.topic(), tp.partition(), old == null ? null : old.offset(), offset);
                });
                table.print(out);
                out.println(mode.execute ? "Committed the new offsets of group " + groupId + "."
                    : "Dry run: nothing committed. Add --execute to commit these offsets.");
            }
            out.flush();
            return 0;
        }

        private OffsetReset reset(CommandLine cli) {
            if (target.earliest) {
                return OffsetReset.toEarliest();
            } else if (target.latest) {
                return OffsetReset.toLatest();
            } else if (target.datetime != null) {
                return OffsetReset.toTimestamp(target.datetime.toEpochMilli());
            } else if (target.duration != null) {
                if (target.duration.isNegative()) {
                    throw new CommandLine.ParameterException(cli, "--by-duration must be positive, got " + target.duration);
                }
                // A duration reaching back before 1970 means everything: timestamps cannot be negative.
                return OffsetReset.toTimestamp(Math.max(0, System.currentTimeMillis() - target.duration.toMillis()));
            } else if (target.offset != null) {
                if (target.offset < 0) {
                    throw new CommandLine.ParameterException(cli, "--to-offset must be 0 or more, got " + target.offset);
                }
                return OffsetReset.toOffset(target.offset);
            }
            return OffsetReset.shiftBy(target.shift);
        }

        /** The partitions named by the --topic options: TOPIC for all of them, TOPIC:0,2 for some. */
        private List<TopicPartition> partitions(CommandLine cli, AdminSession session) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                int colon = topic.indexOf(':');
                if (colon < 0) {
                    partitions.addAll(session.await(session.admin().partitionsOf(List.of(topic))));
                    continue;
                }
                String name = topic.substring(0, colon);
                for (String p : topic.substring(colon + 1).split(",")) {
                    try {
                        partitions.add(new TopicPartition(name, Integer.parseInt(p.trim())));
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ParameterException(cli, "--topic takes TOPIC or TOPIC:P[,P...], got '" + topic + "'");
                    }
                }
            }
            return partitions;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group without members, with its committed offsets.")
    static final class DeleteGroup implements Callable<Integer> {
        @Parameters(paramLabel = "GROUP", description = "The group.")
        String groupId;

        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession session = AdminSession.open(broker)) {
                session.await(session.admin().deleteGroup(groupId));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(output.json() ? Json.write(Map.of("deleted", groupId)) : "Deleted group " + groupId + ".");
            out.flush();
            return 0;
        }
    }

    private static Long known(long value) {
        return value < 0 ? null : value;
    }
}
