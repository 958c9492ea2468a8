package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.DeleteTopicsRequest;
import io.tributary.protocol.message.admin.DeleteTopicsRequest.DeleteTopicState;
import io.tributary.protocol.message.admin.DeleteTopicsResponse;
import io.tributary.protocol.message.admin.DeleteTopicsResponse.DeletableTopicResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics (key 20, v1-6): topics by name (v1-5, and v6 entries with a name) or by id (v6). Every
 * entry is resolved first; a topic named more than once (by name, by id, or both) is refused in every
 * entry that names it, as is an entry with both a name and an id or with neither. Unknown names are
 * UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID. The answers name the topic and (v6) its id
 * however it was asked for. Deleting removes files, so the request runs on the I/O executor.
 */
final class DeleteTopicsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(DeleteTopicsHandler.class);
    private static final UUID NO_TOPIC_ID = new UUID(0, 0);

    private final LogManager logs;
    /** null: delete the local logs directly (a broker without cluster metadata, in tests) */
    private final ClusterMetadata cluster;

    DeleteTopicsHandler(LogManager logs, ClusterMetadata cluster) {
        this.logs = logs;
        this.cluster = cluster;
    }

    /** One entry of the request: what was asked, and the topic it resolved to or why it did not. */
    private static final class Target {
        final String name;
        final UUID id;
        TopicMetadata topic;
        ApiError error = ApiError.NONE;

        Target(String name, UUID id) {
            this.name = name;
            this.id = id;
        }
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request, context.apiVersion())), context.ioExecutor());
    }

    private Struct answer(Struct request, short version) {
        List<Target> targets = new ArrayList<>();
        if (version >= 6) {
            for (Struct topic : request.get(DeleteTopicsRequest.TOPICS)) {
                targets.add(new Target(topic.get(DeleteTopicState.NAME), topic.get(DeleteTopicState.TOPIC_ID)));
            }
        } else {
            for (String name : request.get(DeleteTopicsRequest.TOPIC_NAMES)) {
                targets.add(new Target(name, NO_TOPIC_ID));
            }
        }
        Map<UUID, Integer> occurrences = new HashMap<>();
        for (Target target : targets) {
            resolve(target);
            if (target.topic != null) {
                occurrences.merge(target.topic.topicId(), 1, Integer::sum);
            }
        }
        Struct response = DeleteTopicsResponse.SCHEMA.newStruct();
        for (Target target : targets) {
            if (target.topic != null && occurrences.get(target.topic.topicId()) > 1) {
                target.error = new ApiError(ErrorCode.INVALID_REQUEST, "Topic " + target.topic.name()
                    + " is named more than once in the request (by name or by id)");
            }
            if (!target.error.isFailure()) {
                try {
                    if (cluster != null && cluster.image().topic(target.topic.topicId()) != null) {
                        // through the controller: every broker deletes its local logs when it applies the removal
                        ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.DeleteTopic(
                            target.topic.name()), ClusterMetadata.ADMIN_TIMEOUT).join();
                        if (!reply.accepted()) {
                            throw new AdminException(reply.error(), reply.message() == null
                                ? "Deleting topic " + target.topic.name() + " refused: " + reply.error() : reply.message());
                        }
                    } else {
                        logs.deleteTopic(target.topic.name());
                    }
                    log.info("Deleted topic {} (id {})", target.topic.name(), target.topic.topicId());
                } catch (RuntimeException e) {
                    target.error = ApiError.from(e, "Deleting topic " + target.topic.name());
                }
            }
            String name = target.topic != null ? target.topic.name() : target.name;
            UUID id = target.topic != null ? target.topic.topicId() : target.id;
            response.add(DeleteTopicsResponse.RESPONSES)
                .set(DeletableTopicResult.NAME, name)
                .set(DeletableTopicResult.TOPIC_ID, id == null ? NO_TOPIC_ID : id)
                .set(DeletableTopicResult.ERROR_CODE, target.error.error().code())
                .set(DeletableTopicResult.ERROR_MESSAGE, target.error.message());
        }
        return response;
    }

    private void resolve(Target target) {
        boolean byId = target.id != null && !target.id.equals(NO_TOPIC_ID);
        if (target.name != null && byId) {
            target.error = new ApiError(ErrorCode.INVALID_REQUEST, "You may not specify both topic name (" + target.name
                + ") and topic id (" + kafkaText(target.id) + ")");
        } else if (target.name != null) {
            target.topic = logs.topic(target.name);
            if (target.topic == null) {
                target.error = new ApiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + target.name + " does not exist");
            }
        } else if (byId) {
            target.topic = logs.topic(target.id);
            if (target.topic == null) {
                target.error = new ApiError(ErrorCode.UNKNOWN_TOPIC_ID, "Topic id " + kafkaText(target.id) + " does not exist");
            }
        } else {
            target.error = new ApiError(ErrorCode.INVALID_REQUEST, "Neither a topic name nor a topic id was given");
        }
    }

    /** A topic id as Kafka's tools print it: 16 bytes in URL-safe base64 without padding. */
    static String kafkaText(UUID id) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
