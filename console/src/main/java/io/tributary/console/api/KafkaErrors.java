package io.tributary.console.api;

import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.BrokerError;
import io.tributary.clients.errors.NetworkException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.console.http.ApiProblem;
import io.tributary.protocol.ErrorCode;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what a client operation failed with into what the browser shows: an HTTP status, the Kafka error name
 * and a sentence. The client's message already says what was done to what and the broker's own words; this
 * adds what the error means for the common ones, so an operator need not look the name up.
 */
final class KafkaErrors {
    private static final Map<ErrorCode, String> MEANINGS = Map.ofEntries(
        Map.entry(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "the topic or partition does not exist"),
        Map.entry(ErrorCode.TOPIC_ALREADY_EXISTS, "a topic of that name exists already"),
        Map.entry(ErrorCode.INVALID_TOPIC_EXCEPTION, "the name is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)"),
        Map.entry(ErrorCode.INVALID_PARTITIONS, "the partition count is not valid (a topic can only grow)"),
        Map.entry(ErrorCode.INVALID_REPLICATION_FACTOR, "the replication factor is larger than the number of brokers or not positive"),
        Map.entry(ErrorCode.INVALID_CONFIG, "the broker refused the configuration value"),
        Map.entry(ErrorCode.NON_EMPTY_GROUP, "the group still has active members; stop its consumers first"),
        Map.entry(ErrorCode.GROUP_ID_NOT_FOUND, "no group of that id exists"),
        Map.entry(ErrorCode.UNKNOWN_MEMBER_ID, "the group has active members; offsets can be changed only while it has none"),
        Map.entry(ErrorCode.REBALANCE_IN_PROGRESS, "the group is rebalancing; offsets can be changed only while it has no members"),
        Map.entry(ErrorCode.MESSAGE_TOO_LARGE, "the record is larger than the topic's max.message.bytes"),
        Map.entry(ErrorCode.POLICY_VIOLATION, "the broker's policy refused the request"),
        Map.entry(ErrorCode.TOPIC_AUTHORIZATION_FAILED, "the principal the console acts as may not do this to the topic"),
        Map.entry(ErrorCode.GROUP_AUTHORIZATION_FAILED, "the principal the console acts as may not do this to the group"),
        Map.entry(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, "the principal the console acts as may not do this to the cluster"),
        Map.entry(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "the principal the console acts as may not use that transactional id"),
        Map.entry(ErrorCode.SASL_AUTHENTICATION_FAILED, "the broker did not accept the credentials"),
        Map.entry(ErrorCode.NOT_LEADER_OR_FOLLOWER, "the partition's leader moved, or (ordered topic) the key belongs to another partition; retry"),
        Map.entry(ErrorCode.LEADER_NOT_AVAILABLE, "the partition has no leader right now; retry in a moment"),
        Map.entry(ErrorCode.COORDINATOR_NOT_AVAILABLE, "the group's coordinator is not ready yet; retry in a moment"),
        Map.entry(ErrorCode.NOT_ENOUGH_REPLICAS, "fewer replicas are in sync than the topic's min.insync.replicas"),
        Map.entry(ErrorCode.INVALID_RECORD, "the broker refused the record (for example a key the topic requires)"),
        Map.entry(ErrorCode.THROTTLING_QUOTA_EXCEEDED, "a quota of the principal the console acts as was exceeded; retry later"),
        Map.entry(ErrorCode.TOPIC_DELETION_DISABLED, "the cluster has topic deletion disabled (delete.topic.enable=false)"),
        Map.entry(ErrorCode.UNSUPPORTED_VERSION, "the broker does not support this request's version"));

    private KafkaErrors() {
    }

    static ApiProblem problem(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiProblem p) {
            return p;
        }
        if (e instanceof BrokerError broker) {
            ErrorCode code = broker.errorCode();
            String meaning = MEANINGS.get(code);
            String message = e.getMessage() + (meaning == null ? "" : " — " + meaning);
            return new ApiProblem(status(code), code.name(), message);
        }
        if (e instanceof TimeoutException) {
            return new ApiProblem(504, "TIMEOUT", e.getMessage() + " — the cluster did not answer in time");
        }
        if (e instanceof NetworkException) {
            return new ApiProblem(502, "NETWORK_EXCEPTION", e.getMessage() + " — the console cannot reach the broker");
        }
        if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
            return ApiProblem.badRequest(e.getMessage());
        }
        if (e instanceof RuntimeException re) {
            throw re; // a bug: the handler logs it and answers 500 without a trace
        }
        throw new IllegalStateException(e);
    }

    private static int status(ErrorCode code) {
        return switch (code) {
            case UNKNOWN_TOPIC_OR_PARTITION, GROUP_ID_NOT_FOUND -> 404;
            case TOPIC_ALREADY_EXISTS, NON_EMPTY_GROUP, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION -> 409;
            case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED,
                 TRANSACTIONAL_ID_AUTHORIZATION_FAILED -> 403;
            case REQUEST_TIMED_OUT -> 504;
            default -> code.isRetriable() ? 503 : 400;
        };
    }
}
