package io.tributary.server.fetch;

import io.tributary.log.AppendResult;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Records written straight into partition logs with our batch builder (Produce is served elsewhere), and
 * the form in which a test compares them with what Apache Kafka's consumer returns: every field, bytes
 * as hex so that a difference shows where it is.
 */
final class TestRecords {
    static final List<Compression> CODECS = List.of(Compression.none(), Compression.gzip(), Compression.snappy(),
        Compression.lz4(), Compression.zstd());

    private TestRecords() {
    }

    /** One record as sent or as received. Null key or value stay null. */
    record Rec(int partition, long offset, long timestamp, String key, String value, List<String> headers) {
    }

    static Rec of(ConsumerRecord<byte[], byte[]> record) {
        List<String> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + hex(h.value())));
        return new Rec(record.partition(), record.offset(), record.timestamp(), hex(record.key()), hex(record.value()), headers);
    }

    static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    /**
     * Appends one batch of {@code count} records to {@code log} at leader epoch 0: keys cycle through three
     * per prefix (so per-key order is checked), values are random (some null), headers vary (some with null
     * values), timestamps increase from {@code firstTimestamp}.
     */
    static List<Rec> appendBatch(PartitionLog log, Compression codec, int count, long firstTimestamp, String keyPrefix, Random random) {
        RecordBatchBuilder builder = new RecordBatchBuilder(codec);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<List<Header>> headerLists = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = i % 7 == 6 ? null : (keyPrefix + "-" + (i % 3)).getBytes(StandardCharsets.UTF_8);
            byte[] value = i % 5 == 4 ? null : randomBytes(random, random.nextInt(200));
            List<Header> headers = new ArrayList<>();
            for (int h = 0; h < i % 3; h++) {
                headers.add(Header.of("h" + h, h == 1 ? null : randomBytes(random, 1 + random.nextInt(8))));
            }
            builder.append(firstTimestamp + i, key == null ? null : ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value), headers);
            keys.add(key);
            values.add(value);
            headerLists.add(headers);
        }
        AppendResult appended = log.append(builder.build(), LeaderEpochs.SINGLE_BROKER);
        List<Rec> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> headers = new ArrayList<>();
            for (Header header : headerLists.get(i)) {
                headers.add(header.key() + "=" + hex(header.value() == null ? null : bytes(header.value())));
            }
            sent.add(new Rec(log.topicPartition().partition(), appended.firstOffset() + i, firstTimestamp + i,
                hex(keys.get(i)), hex(values.get(i)), headers));
        }
        return sent;
    }

    /** A batch of {@code count} small records with no headers; for tests that count bytes, not fields. */
    static ByteBuffer simpleBatch(int count, int valueBytes, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)), ByteBuffer.allocate(valueBytes));
        }
        return builder.build();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
