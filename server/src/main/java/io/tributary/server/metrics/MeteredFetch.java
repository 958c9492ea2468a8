package io.tributary.server.metrics;

import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.network.LogSliceRecords;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Counts what Fetch answers into {@link TopicTraffic}: per partition, the bytes of its log slice and the
 * offsets the slice covers (from its first batch's base offset to past its last batch: the records sent,
 * less any that compaction removed from those batches). The bytes are never read: counting records exactly
 * would mean reading every batch header from the file on the zero-copy path. Wraps the fetch handler, so
 * a parked fetch is counted when it is answered.
 */
public final class MeteredFetch implements ApiHandler {
    private final ApiHandler fetch;
    private final LogManager logs;
    private final TopicTraffic traffic;

    public MeteredFetch(ApiHandler fetch, LogManager logs, TopicTraffic traffic) {
        this.fetch = fetch;
        this.logs = logs;
        this.traffic = traffic;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        short version = context.apiVersion();
        return fetch.handle(context, request).thenApply(response -> {
            if (!response.slices().isEmpty()) {
                count(response.body(), version);
            }
            return response;
        });
    }

    private void count(Struct body, short version) {
        for (Struct topic : body.get(FetchResponse.RESPONSES)) {
            TopicTraffic.Meters meters = null;
            for (Struct partition : topic.get(FetchableTopicResponse.PARTITIONS)) {
                if (!(partition.recordsValue(PartitionData.RECORDS) instanceof LogSliceRecords records)) {
                    continue;
                }
                LogSlice slice = records.slice();
                if (slice.isEmpty()) {
                    continue;
                }
                if (meters == null) {
                    String name = topicName(topic, version);
                    if (name == null) {
                        break;
                    }
                    meters = traffic.of(name);
                }
                meters.bytesOut().increment(slice.length());
                meters.recordsOut().increment(slice.nextOffset() - slice.firstOffset());
            }
        }
    }

    private String topicName(Struct topic, short version) {
        if (version < 13) {
            return topic.get(FetchableTopicResponse.TOPIC);
        }
        UUID id = topic.get(FetchableTopicResponse.TOPIC_ID);
        TopicMetadata metadata = id == null ? null : logs.topic(id);
        return metadata == null ? null : metadata.name();
    }

    @Override
    public void connectionClosed(String connectionId) {
        fetch.connectionClosed(connectionId);
    }
}
