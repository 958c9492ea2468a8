package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.admin.DescribeLogDirsRequest;
import io.tributary.protocol.message.admin.DescribeLogDirsRequest.DescribableLogDirTopic;
import io.tributary.protocol.message.admin.DescribeLogDirsResponse;
import io.tributary.protocol.message.admin.DescribeLogDirsResponse.DescribeLogDirsPartition;
import io.tributary.protocol.message.admin.DescribeLogDirsResponse.DescribeLogDirsResult;
import io.tributary.protocol.message.admin.DescribeLogDirsResponse.DescribeLogDirsTopic;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.cluster.ClusterMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeLogDirs (key 35, v1-5): each of this broker's log directories with the partitions it holds there (all, or
 * those asked for), their size in bytes and no future logs (replicas never move between directories here). A
 * partition counts as held when the cluster metadata lists this broker among its replicas, or when it is a local topic
 * the metadata does not know: every broker keeps an empty log for every other partition, which is not a replica.
 * kafka-reassign-partitions asks this of the current replicas before it starts a move.
 */
final class DescribeLogDirsHandler implements ApiHandler {
    private final LogManager logs;
    private final List<Path> logDirs;
    private final ClusterMetadata cluster;

    DescribeLogDirsHandler(LogManager logs, List<Path> logDirs, ClusterMetadata cluster) {
        this.logs = logs;
        this.logDirs = List.copyOf(logDirs);
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        List<Struct> named = request.get(DescribeLogDirsRequest.TOPICS);
        Set<TopicPartition> wanted = null;
        if (named != null) {
            wanted = new HashSet<>();
            for (Struct topic : named) {
                for (int p : topic.get(DescribableLogDirTopic.PARTITIONS)) {
                    wanted.add(new TopicPartition(topic.get(DescribableLogDirTopic.TOPIC), p));
                }
            }
        }
        Map<Path, Map<String, List<PartitionLog>>> byDir = new LinkedHashMap<>();
        for (Path dir : logDirs) {
            byDir.put(dir.toAbsolutePath().normalize(), new TreeMap<>());
        }
        for (PartitionLog log : logs.allLogs()) {
            TopicPartition tp = log.topicPartition();
            if ((wanted != null && !wanted.contains(tp)) || !held(tp)) {
                continue;
            }
            Map<String, List<PartitionLog>> topics = byDir.get(log.dir().toAbsolutePath().normalize().getParent());
            if (topics != null) {
                topics.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(log);
            }
        }
        Struct response = DescribeLogDirsResponse.SCHEMA.newStruct()
            .set(DescribeLogDirsResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(DescribeLogDirsResponse.RESULTS, new ArrayList<>());
        byDir.forEach((dir, topics) -> {
            Struct result = response.add(DescribeLogDirsResponse.RESULTS)
                .set(DescribeLogDirsResult.ERROR_CODE, ErrorCode.NONE.code())
                .set(DescribeLogDirsResult.LOG_DIR, dir.toString())
                .set(DescribeLogDirsResult.TOPICS, new ArrayList<>());
            try {
                var store = Files.getFileStore(dir);
                result.set(DescribeLogDirsResult.TOTAL_BYTES, store.getTotalSpace())
                    .set(DescribeLogDirsResult.USABLE_BYTES, store.getUsableSpace());
            } catch (IOException e) {
                result.set(DescribeLogDirsResult.ERROR_CODE, ErrorCode.KAFKA_STORAGE_ERROR.code());
                return;
            }
            topics.forEach((name, partitionLogs) -> {
                Struct topic = result.add(DescribeLogDirsResult.TOPICS)
                    .set(DescribeLogDirsTopic.NAME, name)
                    .set(DescribeLogDirsTopic.PARTITIONS, new ArrayList<>());
                for (PartitionLog log : partitionLogs) {
                    topic.add(DescribeLogDirsTopic.PARTITIONS)
                        .set(DescribeLogDirsPartition.PARTITION_INDEX, log.topicPartition().partition())
                        .set(DescribeLogDirsPartition.PARTITION_SIZE, log.sizeInBytes())
                        .set(DescribeLogDirsPartition.OFFSET_LAG, 0L)
                        .set(DescribeLogDirsPartition.IS_FUTURE_KEY, false);
                }
            });
        });
        return response;
    }

    private boolean held(TopicPartition tp) {
        if (cluster == null) {
            return true;
        }
        TopicImage topic = cluster.image().topic(tp.topic());
        if (topic == null) {
            return true;
        }
        PartitionState state = topic.partition(tp.partition());
        return state != null && state.replicas().contains(cluster.nodeId());
    }
}
