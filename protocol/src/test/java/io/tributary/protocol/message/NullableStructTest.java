package io.tributary.protocol.message;

import io.tributary.protocol.message.metadata.DescribeTopicPartitionsRequest;
import io.tributary.protocol.message.metadata.DescribeTopicPartitionsResponse;
import io.tributary.protocol.message.schema.Struct;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nullable struct field (DescribeTopicPartitions' cursor, Kafka's NullableSchema): null is its default and a value
 * of its own, sent as the marker byte -1; a present struct is sent as 1 and the struct. Checked byte for byte against
 * Kafka's generated classes in both directions (the random round trips cover it too, but not by name).
 */
@Timeout(30)
class NullableStructTest {
    private static final short V0 = 0;

    @Test
    void aNullCursorIsTheDefaultAndOneMarkerByte() {
        Struct ours = DescribeTopicPartitionsRequest.SCHEMA.newStruct();
        assertThat(ours.get(DescribeTopicPartitionsRequest.CURSOR)).isNull();
        ByteBuffer bytes = KafkaOracle.encode(DescribeTopicPartitionsRequest.SCHEMA, ours, V0);
        // topics (compact count 0 -> 1), limit 2000, cursor marker -1, no tagged fields
        assertThat(KafkaOracle.hex(bytes)).isEqualTo("01" + "000007d0" + "ff" + "00");
        DescribeTopicPartitionsRequestData kafka = (DescribeTopicPartitionsRequestData)
            KafkaOracle.read(DescribeTopicPartitionsRequest.SCHEMA.apiKey(), true, bytes, V0);
        assertThat(kafka.cursor()).isNull();
        assertThat(KafkaOracle.write(kafka, V0)).isEqualTo(bytes);
    }

    @Test
    void aPresentCursorIsMarkedOneAndReadBackByKafkaAndUs() {
        DescribeTopicPartitionsRequestData kafka = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(5)
            .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName("orders").setPartitionIndex(7));
        kafka.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("orders"));
        ByteBuffer theirs = KafkaOracle.write(kafka, V0);
        Struct ours = DescribeTopicPartitionsRequest.SCHEMA.read(theirs.duplicate(), V0);
        Struct cursor = ours.get(DescribeTopicPartitionsRequest.CURSOR);
        assertThat(cursor.get(DescribeTopicPartitionsRequest.Cursor.TOPIC_NAME)).isEqualTo("orders");
        assertThat(cursor.get(DescribeTopicPartitionsRequest.Cursor.PARTITION_INDEX)).isEqualTo(7);
        assertThat(KafkaOracle.encode(DescribeTopicPartitionsRequest.SCHEMA, ours, V0)).isEqualTo(theirs);
        assertThat(ours).isNotEqualTo(DescribeTopicPartitionsRequest.SCHEMA.newStruct());
    }

    @Test
    void aResponseNextCursorRoundTripsNullAndPresent() {
        Struct ours = DescribeTopicPartitionsResponse.SCHEMA.newStruct();
        ours.add(DescribeTopicPartitionsResponse.TOPICS)
            .set(DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic.NAME, "t")
            .add(DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic.PARTITIONS)
            .set(DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition.ELIGIBLE_LEADER_REPLICAS, new int[0]);
        KafkaOracle.assertRoundTrip(DescribeTopicPartitionsResponse.SCHEMA, ours, V0);
        DescribeTopicPartitionsResponseData kafka = (DescribeTopicPartitionsResponseData) KafkaOracle.read(
            DescribeTopicPartitionsResponse.SCHEMA.apiKey(), false, KafkaOracle.encode(DescribeTopicPartitionsResponse.SCHEMA, ours, V0), V0);
        assertThat(kafka.nextCursor()).isNull();
        assertThat(kafka.topics().find("t").partitions().get(0).eligibleLeaderReplicas()).isEmpty();
        assertThat(kafka.topics().find("t").partitions().get(0).lastKnownElr()).isNull();

        ours.set(DescribeTopicPartitionsResponse.NEXT_CURSOR, DescribeTopicPartitionsResponse.Cursor.SCHEMA.newStruct()
            .set(DescribeTopicPartitionsResponse.Cursor.TOPIC_NAME, "t")
            .set(DescribeTopicPartitionsResponse.Cursor.PARTITION_INDEX, 3));
        KafkaOracle.assertRoundTrip(DescribeTopicPartitionsResponse.SCHEMA, ours, V0);
        kafka = (DescribeTopicPartitionsResponseData) KafkaOracle.read(
            DescribeTopicPartitionsResponse.SCHEMA.apiKey(), false, KafkaOracle.encode(DescribeTopicPartitionsResponse.SCHEMA, ours, V0), V0);
        assertThat(kafka.nextCursor().topicName()).isEqualTo("t");
        assertThat(kafka.nextCursor().partitionIndex()).isEqualTo(3);
    }
}
