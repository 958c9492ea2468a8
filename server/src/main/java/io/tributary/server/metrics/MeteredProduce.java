package io.tributary.server.metrics;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Counts what Produce appended into {@link TopicTraffic}, and what it refused by error
 * ({@link TopicTraffic#produceRefused}): for every partition answered without error, the
 * size of its batch and the records it holds (the batch header's record count; Produce carries exactly one
 * batch per partition). Wraps the produce handler rather than living in it, so the produce path stays free
 * of metrics code.
 *
 * <p>The sizes are read from the request before the handler runs (the request frame is still held), the
 * errors from its answer. A retried idempotent batch the broker recognises as a duplicate is answered
 * without error and is counted again: a counter of what producers delivered, not of distinct records.
 * With acks=0 there is no answer to read: a request that did not fail is counted whole.
 */
public final class MeteredProduce implements ApiHandler {
    private final ApiHandler produce;
    private final LogManager logs;
    private final TopicTraffic traffic;

    public MeteredProduce(ApiHandler produce, LogManager logs, TopicTraffic traffic) {
        this.produce = produce;
        this.logs = logs;
        this.traffic = traffic;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        short version = context.apiVersion();
        List<Struct> topics = request.get(ProduceRequest.TOPIC_DATA);
        // Per partition in request order: bytes and records of its batch.
        int partitions = 0;
        for (Struct topic : topics) {
            partitions += topic.get(TopicProduceData.PARTITION_DATA).size();
        }
        long[] sizes = new long[partitions * 2];
        int i = 0;
        for (Struct topic : topics) {
            for (Struct partition : topic.get(TopicProduceData.PARTITION_DATA)) {
                ByteBuffer records = partition.get(PartitionProduceData.RECORDS);
                if (records != null && records.remaining() >= RecordBatch.HEADER_SIZE) {
                    sizes[i] = records.remaining();
                    sizes[i + 1] = RecordBatch.at(records, records.position()).recordCount();
                }
                i += 2;
            }
        }
        return produce.handle(context, request).thenApply(response -> {
            count(topics, response, version, sizes);
            return response;
        });
    }

    private void count(List<Struct> topicsIn, ApiResponse response, short version, long[] sizes) {
        List<Struct> topicsOut = response.isNone() ? null : response.body().get(ProduceResponse.RESPONSES);
        int i = 0;
        for (int t = 0; t < topicsIn.size(); t++) {
            Struct topicIn = topicsIn.get(t);
            List<Struct> partitionsIn = topicIn.get(TopicProduceData.PARTITION_DATA);
            List<Struct> partitionsOut = topicsOut == null || t >= topicsOut.size() ? null
                : topicsOut.get(t).get(TopicProduceResponse.PARTITION_RESPONSES);
            TopicTraffic.Meters meters = null;
            for (int p = 0; p < partitionsIn.size(); p++, i += 2) {
                countRefusal(partitionsOut, p);
                if (sizes[i] == 0 || !succeeded(partitionsIn.get(p), partitionsOut, p, topicsOut == null)) {
                    continue;
                }
                if (meters == null) {
                    String name = topicName(topicIn, version);
                    if (name == null) {
                        break;
                    }
                    meters = traffic.of(name);
                }
                meters.bytesIn().increment(sizes[i]);
                meters.recordsIn().increment(sizes[i + 1]);
            }
        }
    }

    private void countRefusal(List<Struct> partitionsOut, int position) {
        if (partitionsOut != null && position < partitionsOut.size()) {
            short code = partitionsOut.get(position).get(PartitionProduceResponse.ERROR_CODE);
            if (code != ErrorCode.NONE.code()) {
                traffic.produceRefused(ErrorCode.forCode(code)).increment();
            }
        }
    }

    /** Whether the partition was appended: its answer (matched by position and index) has no error. */
    private static boolean succeeded(Struct partitionIn, List<Struct> partitionsOut, int position, boolean noAnswer) {
        if (noAnswer) {
            return true; // acks=0 that did not fail: every partition was appended
        }
        if (partitionsOut == null || position >= partitionsOut.size()) {
            return false;
        }
        Struct out = partitionsOut.get(position);
        return out.get(PartitionProduceResponse.INDEX) == partitionIn.get(PartitionProduceData.INDEX)
            && out.get(PartitionProduceResponse.ERROR_CODE) == ErrorCode.NONE.code();
    }

    private String topicName(Struct topicIn, short version) {
        if (version < 13) {
            return topicIn.get(TopicProduceData.NAME);
        }
        UUID id = topicIn.get(TopicProduceData.TOPIC_ID);
        TopicMetadata topic = id == null ? null : logs.topic(id);
        return topic == null ? null : topic.name();
    }

    @Override
    public void connectionClosed(String connectionId) {
        produce.connectionClosed(connectionId);
    }
}
