package io.tributary.server.fetch;

import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchPartition;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsPartition;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsTopic;
import io.tributary.protocol.message.schema.Struct;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Raw Fetch and ListOffsets request bodies, and flat views of their answers, for tests over {@link RawConnection}. */
final class FetchRequests {
    private FetchRequests() {
    }

    /** One partition to fetch: by topic name (before v13) or id (v13+). */
    record Wanted(String topic, UUID topicId, int partition, long offset, int maxBytes) {
        static Wanted byName(String topic, int partition, long offset, int maxBytes) {
            return new Wanted(topic, null, partition, offset, maxBytes);
        }

        static Wanted byId(UUID topicId, int partition, long offset, int maxBytes) {
            return new Wanted(null, topicId, partition, offset, maxBytes);
        }
    }

    /** A fetch request body with one topic entry per wanted partition; session fields default to sessionless. */
    static Struct fetch(int maxWaitMs, int minBytes, int maxBytes, List<Wanted> partitions) {
        Struct body = FetchRequest.SCHEMA.newStruct()
            .set(FetchRequest.MAX_WAIT_MS, maxWaitMs)
            .set(FetchRequest.MIN_BYTES, minBytes)
            .set(FetchRequest.MAX_BYTES, maxBytes)
            .set(FetchRequest.ISOLATION_LEVEL, 0);
        for (Wanted wanted : partitions) {
            Struct topic = body.add(FetchRequest.TOPICS);
            if (wanted.topicId() != null) {
                topic.set(FetchTopic.TOPIC_ID, wanted.topicId());
            } else {
                topic.set(FetchTopic.TOPIC, wanted.topic());
            }
            topic.add(FetchTopic.PARTITIONS)
                .set(FetchPartition.PARTITION, wanted.partition())
                .set(FetchPartition.FETCH_OFFSET, wanted.offset())
                .set(FetchPartition.PARTITION_MAX_BYTES, wanted.maxBytes());
        }
        return body;
    }

    static Struct session(Struct fetch, int sessionId, int epoch) {
        return fetch.set(FetchRequest.SESSION_ID, sessionId).set(FetchRequest.SESSION_EPOCH, epoch);
    }

    /** A partition of a fetch answer, flattened: topic name (before v13) or id, and its records as bytes. */
    record Got(String topic, UUID topicId, int partition, short error, long highWatermark, long lastStableOffset,
               long logStartOffset, ByteBuffer records) {
        int recordBytes() {
            return records == null ? 0 : records.remaining();
        }
    }

    static List<Got> partitions(Struct fetchResponse) {
        List<Got> got = new ArrayList<>();
        for (Struct topic : fetchResponse.get(FetchResponse.RESPONSES)) {
            for (Struct p : topic.get(FetchableTopicResponse.PARTITIONS)) {
                got.add(new Got(topic.get(FetchableTopicResponse.TOPIC), topic.get(FetchableTopicResponse.TOPIC_ID),
                    p.get(PartitionData.PARTITION_INDEX), p.get(PartitionData.ERROR_CODE), p.get(PartitionData.HIGH_WATERMARK),
                    p.get(PartitionData.LAST_STABLE_OFFSET), p.get(PartitionData.LOG_START_OFFSET), p.get(PartitionData.RECORDS)));
            }
        }
        return got;
    }

    static Struct listOffsets(String topic, int partition, long timestamp) {
        Struct body = ListOffsetsRequest.SCHEMA.newStruct()
            .set(ListOffsetsRequest.REPLICA_ID, -1)
            .set(ListOffsetsRequest.ISOLATION_LEVEL, 0);
        addListOffsets(body, topic, partition, timestamp);
        return body;
    }

    static Struct addListOffsets(Struct body, String topic, int partition, long timestamp) {
        body.add(ListOffsetsRequest.TOPICS).set(ListOffsetsTopic.NAME, topic)
            .add(ListOffsetsTopic.PARTITIONS)
            .set(ListOffsetsPartition.PARTITION_INDEX, partition)
            .set(ListOffsetsPartition.TIMESTAMP, timestamp);
        return body;
    }
}
