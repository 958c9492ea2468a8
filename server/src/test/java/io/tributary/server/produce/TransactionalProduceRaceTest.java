package io.tributary.server.produce;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.replica.ReplicaView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transactional produce to a topic this broker's logs learn of while the transaction coordinator is being asked
 * (the client saw the topic in metadata a moment before the logs had it): the batch the coordinator was not asked
 * about is answered with a retriable UNKNOWN_TOPIC_OR_PARTITION, never INVALID_TXN_STATE, which kafka-clients treats as
 * fatal to the producer; nothing is appended unchecked, and the client's retry is checked and appended.
 */
@Timeout(30)
class TransactionalProduceRaceTest {
    @TempDir
    Path dir;

    private static ByteBuffer transactionalBatch(int sequence) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none()).producer(7, (short) 0, sequence).transactional(true);
        builder.append(1_700_000_000_000L, null, ByteBuffer.wrap("v".getBytes(StandardCharsets.UTF_8)));
        return builder.build();
    }

    @Test
    void aTopicCreatedDuringTheCoordinatorCheckIsRetriableNotInvalidTxnState() {
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC())) {
            logs.createTopic("known", 1, Map.of());
            List<Set<TopicPartition>> asked = new ArrayList<>();
            CompletableFuture<ErrorCode> coordinatorAnswer = new CompletableFuture<>();
            TransactionalProduceCheck check = (id, producerId, epoch, partitions, implicitly) -> {
                asked.add(Set.copyOf(partitions));
                return coordinatorAnswer;
            };
            ProduceHandler handler = new ProduceHandler(logs, ReplicaView.SOLE, new ProducePurgatory(ReplicaView.SOLE), check);
            RequestContext context = new RequestContext(new RequestHeader(ApiKey.PRODUCE, (short) 12, 1, "test"),
                new InetSocketAddress("127.0.0.1", 1), "c1", Runnable::run, Runnable::run);

            Struct request = RawClient.produce((short) -1, "known", 0, transactionalBatch(0)).set(ProduceRequest.TRANSACTIONAL_ID, "app");
            RawClient.addPartition(request, "late", 0, transactionalBatch(0));
            CompletableFuture<ApiResponse> answer = handler.handle(context, request);
            assertThat(asked).containsExactly(Set.of(new TopicPartition("known", 0)));

            logs.createTopic("late", 1, Map.of()); // applied while the coordinator is asked
            coordinatorAnswer.complete(ErrorCode.NONE);

            Map<String, Short> errors = errorsByTopic(answer.join().body());
            assertThat(errors).containsEntry("known", ErrorCode.NONE.code())
                .containsEntry("late", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(logs.log(new TopicPartition("late", 0)).logEndOffset()).as("nothing appended unchecked").isZero();

            Struct retry = RawClient.produce((short) -1, "late", 0, transactionalBatch(0)).set(ProduceRequest.TRANSACTIONAL_ID, "app");
            assertThat(RawClient.errorOf(RawClient.onlyPartition(handler.handle(context, retry).join().body())))
                .isEqualTo(ErrorCode.NONE.code());
            assertThat(asked).last().isEqualTo(Set.of(new TopicPartition("late", 0)));
            assertThat(logs.log(new TopicPartition("late", 0)).logEndOffset()).isEqualTo(1);
        }
    }

    private static Map<String, Short> errorsByTopic(Struct response) {
        Map<String, Short> errors = new java.util.HashMap<>();
        for (Struct topic : response.get(io.tributary.protocol.message.produce.ProduceResponse.RESPONSES)) {
            for (Struct partition : topic.get(io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse.PARTITION_RESPONSES)) {
                errors.put(topic.get(io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse.NAME),
                    partition.get(PartitionProduceResponse.ERROR_CODE));
            }
        }
        return errors;
    }
}
