package io.tributary.server.replica;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Produce, consumer Fetch and ListOffsets against one broker of an {@link InProcessCluster}, over our protocol module. */
final class ReplicaClient implements AutoCloseable {
    private final LeaderConnection connection;

    ReplicaClient(int port) {
        try {
            connection = LeaderConnection.open(new Node(-1, "127.0.0.1", port, null), "replica-test", 10_000, 30_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch of {@code count} records with values "{prefix}-{i}". */
    static ByteBuffer batch(String prefix, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap((prefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    /** Produces one batch (v9); returns the partition's error. */
    ErrorCode produce(TopicPartition tp, short acks, int timeoutMs, ByteBuffer batch) {
        Struct request = ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.ACKS, acks).set(ProduceRequest.TIMEOUT_MS, timeoutMs);
        request.add(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TopicProduceData.NAME, tp.topic())
            .add(ProduceRequest.TopicProduceData.PARTITION_DATA).set(ProduceRequest.PartitionProduceData.INDEX, tp.partition())
            .set(ProduceRequest.PartitionProduceData.RECORDS, batch);
        Struct response = call(ApiKey.PRODUCE, (short) 9, request);
        Struct partition = response.get(ProduceResponse.RESPONSES).get(0).get(ProduceResponse.TopicProduceResponse.PARTITION_RESPONSES).get(0);
        return ErrorCode.forCode(partition.get(ProduceResponse.PartitionProduceResponse.ERROR_CODE));
    }

    /** What a consumer's fetch (v12, replica id -1, no wait) got for one partition. */
    record Fetched(ErrorCode error, long highWatermark, long lastStableOffset, List<Long> batchLastOffsets) {
    }

    Fetched fetch(TopicPartition tp, long offset) {
        Struct request = FetchRequest.SCHEMA.newStruct().set(FetchRequest.REPLICA_ID, -1).set(FetchRequest.MAX_WAIT_MS, 0)
            .set(FetchRequest.MIN_BYTES, 1).set(FetchRequest.MAX_BYTES, 1 << 20).set(FetchRequest.ISOLATION_LEVEL, 0)
            .set(FetchRequest.SESSION_ID, 0).set(FetchRequest.SESSION_EPOCH, -1);
        request.add(FetchRequest.TOPICS).set(FetchRequest.FetchTopic.TOPIC, tp.topic()).add(FetchRequest.FetchTopic.PARTITIONS)
            .set(FetchRequest.FetchPartition.PARTITION, tp.partition()).set(FetchRequest.FetchPartition.FETCH_OFFSET, offset)
            .set(FetchRequest.FetchPartition.PARTITION_MAX_BYTES, 1 << 20);
        Struct response = call(ApiKey.FETCH, (short) 12, request);
        Struct data = response.get(FetchResponse.RESPONSES).get(0).get(FetchResponse.FetchableTopicResponse.PARTITIONS).get(0);
        List<Long> lastOffsets = new ArrayList<>();
        ByteBuffer records = data.get(FetchResponse.PartitionData.RECORDS);
        if (records != null) {
            RecordBatch batch = RecordBatch.at(records, records.position());
            for (int position = records.position(); position < records.limit(); position += batch.sizeInBytes()) {
                batch.wrap(records, position);
                lastOffsets.add(batch.lastOffset());
            }
        }
        return new Fetched(ErrorCode.forCode(data.get(FetchResponse.PartitionData.ERROR_CODE)),
            data.get(FetchResponse.PartitionData.HIGH_WATERMARK), data.get(FetchResponse.PartitionData.LAST_STABLE_OFFSET), lastOffsets);
    }

    /** ListOffsets (v7) LATEST for a consumer: the offset, or -1 with an error. */
    long latestOffset(TopicPartition tp) {
        Struct request = ListOffsetsRequest.SCHEMA.newStruct().set(ListOffsetsRequest.REPLICA_ID, -1)
            .set(ListOffsetsRequest.ISOLATION_LEVEL, 0);
        request.add(ListOffsetsRequest.TOPICS).set(ListOffsetsRequest.ListOffsetsTopic.NAME, tp.topic())
            .add(ListOffsetsRequest.ListOffsetsTopic.PARTITIONS).set(ListOffsetsRequest.ListOffsetsPartition.PARTITION_INDEX, tp.partition())
            .set(ListOffsetsRequest.ListOffsetsPartition.TIMESTAMP, -1L);
        Struct response = call(ApiKey.LIST_OFFSETS, (short) 7, request);
        Struct partition = response.get(ListOffsetsResponse.TOPICS).get(0).get(ListOffsetsResponse.ListOffsetsTopicResponse.PARTITIONS).get(0);
        if (partition.get(ListOffsetsResponse.ListOffsetsPartitionResponse.ERROR_CODE) != 0) {
            return -1;
        }
        return partition.get(ListOffsetsResponse.ListOffsetsPartitionResponse.OFFSET);
    }

    private Struct call(ApiKey api, short version, Struct body) {
        try {
            return connection.call(api, version, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
