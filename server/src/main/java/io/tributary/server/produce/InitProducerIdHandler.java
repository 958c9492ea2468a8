package io.tributary.server.produce;

import io.tributary.log.LogManager;
import io.tributary.protocol.ClientText;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.txn.TransactionCoordinator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * InitProducerId (API key 22, v0-5) for idempotent producers: a fresh producer id with epoch 0, or — from
 * v3 on, when the request names the producer id and epoch it has (KIP-360) — the same id with the epoch
 * bumped by one.
 *
 * <p>Bump rules, after Kafka's transaction coordinator: the producer's current epoch is the highest this
 * broker granted or any partition has seen written. A request with an older epoch is fenced
 * (PRODUCER_FENCED from v4, INVALID_PRODUCER_EPOCH before, as KIP-588 split them); a retry of the last
 * bump (the epoch it bumped from) gets the same answer again; an epoch that cannot grow any more
 * ({@code Short.MAX_VALUE - 1}) and an id this broker never handed out get a fresh id with epoch 0.
 * Granted epochs are remembered for {@code producer.id.expiration.ms} (and not across restarts: from then
 * on the epochs written in the partitions fence).
 *
 * <p>A transactional id goes to the {@link TransactionCoordinator} (epoch bumps and fencing per id, kept in
 * {@code __transaction_state}); PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH before v4. An empty one is
 * INVALID_REQUEST, as Kafka answers. A handler built without a coordinator (tools, tests of the idempotent path)
 * answers a transactional id with UNSUPPORTED_VERSION — Kafka's code for "this broker lacks the feature the
 * request needs".
 *
 * <p>Allocation may fsync (a new id block), so every request is answered from the I/O executor.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(InitProducerIdHandler.class);
    /** Kafka's limit: a producer whose epoch reached it gets a new id instead of a bump. */
    static final short MAX_EPOCH = Short.MAX_VALUE - 1;

    private final ProducerIdAllocator allocator;
    private final LogManager logs;
    private final Clock clock;
    private final long grantTtlMs;
    private final Map<Long, Grant> grants = new ConcurrentHashMap<>();
    private final TransactionCoordinator transactions;

    /** The last bump of a producer id: from {@code previousEpoch} to {@code epoch}, at {@code atMs}. */
    private record Grant(short previousEpoch, short epoch, long atMs) {
    }

    public InitProducerIdHandler(ProducerIdAllocator allocator, LogManager logs, Clock clock, long producerIdExpirationMs) {
        this(allocator, logs, clock, producerIdExpirationMs, null);
    }

    /** @param transactions the coordinator of transactional ids, or null when this handler serves idempotent producers only */
    public InitProducerIdHandler(ProducerIdAllocator allocator, LogManager logs, Clock clock, long producerIdExpirationMs,
                                 TransactionCoordinator transactions) {
        this.transactions = transactions;
        this.allocator = allocator;
        this.logs = logs;
        this.clock = clock;
        this.grantTtlMs = producerIdExpirationMs;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        short version = context.apiVersion();
        String transactionalId = request.get(InitProducerIdRequest.TRANSACTIONAL_ID);
        if (transactionalId != null && !transactionalId.isEmpty() && transactions != null) {
            long producerId = version >= 3 ? request.get(InitProducerIdRequest.PRODUCER_ID) : RecordBatch.NO_PRODUCER_ID;
            short epoch = version >= 3 ? request.get(InitProducerIdRequest.PRODUCER_EPOCH) : RecordBatch.NO_PRODUCER_EPOCH;
            return transactions.initProducerId(transactionalId, request.get(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS), producerId, epoch)
                .thenApplyAsync(result -> {
                    Struct response = InitProducerIdResponse.SCHEMA.newStruct().set(InitProducerIdResponse.THROTTLE_TIME_MS, 0);
                    if (result.error() != ErrorCode.NONE) {
                        ErrorCode error = result.error() == ErrorCode.PRODUCER_FENCED && version < 4 ? ErrorCode.INVALID_PRODUCER_EPOCH : result.error();
                        return ApiResponse.of(fail(response, error));
                    }
                    return ApiResponse.of(grant(response, result.producerId(), result.producerEpoch()));
                }, context.eventLoop());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ApiResponse.of(answer(request, version));
            } catch (ProducerIdAllocator.Unavailable e) {
                // no block from the controller yet (starting, or no quorum majority): retriable, as Kafka answers
                log.info("InitProducerId v{} from {}: {}", version, context.clientAddress(), e.getMessage());
                return ApiResponse.of(fail(InitProducerIdResponse.SCHEMA.newStruct(), ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
            } catch (RuntimeException e) {
                log.error("InitProducerId v{} from {} failed", version, context.clientAddress(), e);
                return ApiResponse.of(fail(InitProducerIdResponse.SCHEMA.newStruct(), ErrorCode.UNKNOWN_SERVER_ERROR));
            }
        }, context.ioExecutor());
    }

    private Struct answer(Struct request, short version) {
        Struct response = InitProducerIdResponse.SCHEMA.newStruct();
        response.set(InitProducerIdResponse.THROTTLE_TIME_MS, 0);
        String transactionalId = request.get(InitProducerIdRequest.TRANSACTIONAL_ID);
        if (transactionalId != null) {
            ErrorCode error = transactionalId.isEmpty() ? ErrorCode.INVALID_REQUEST : ErrorCode.UNSUPPORTED_VERSION;
            log.info("Refusing InitProducerId for transactional id '{}': {}",
                ClientText.escape(transactionalId), error);
            return fail(response, error);
        }
        long producerId = version >= 3 ? request.get(InitProducerIdRequest.PRODUCER_ID) : RecordBatch.NO_PRODUCER_ID;
        short epoch = version >= 3 ? request.get(InitProducerIdRequest.PRODUCER_EPOCH) : RecordBatch.NO_PRODUCER_EPOCH;
        if (producerId == RecordBatch.NO_PRODUCER_ID && epoch == RecordBatch.NO_PRODUCER_EPOCH) {
            return grant(response, allocator.allocate(), (short) 0);
        }
        if (producerId < 0 || epoch < 0) {
            log.info("Refusing InitProducerId with producer id {} and epoch {}: both or neither must be -1", producerId, epoch);
            return fail(response, ErrorCode.INVALID_REQUEST);
        }
        return bump(response, producerId, epoch, version);
    }

    private Struct bump(Struct response, long producerId, short epoch, short version) {
        if (!allocator.mayHaveIssued(producerId)) {
            return grant(response, allocator.allocate(), (short) 0);
        }
        synchronized (this) {
            long now = clock.millis();
            expireGrants(now);
            Grant last = grants.get(producerId);
            if (last != null && epoch == last.previousEpoch()) {
                return grant(response, producerId, last.epoch()); // the answer to this bump was lost: repeat it
            }
            short current = (short) Math.max(last == null ? RecordBatch.NO_PRODUCER_EPOCH : last.epoch(), logs.latestProducerEpoch(producerId));
            if (epoch < current) {
                log.info("Fencing InitProducerId of producer {} with epoch {}: its current epoch is {}", producerId, epoch, current);
                return fail(response, version >= 4 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH);
            }
            if (epoch >= MAX_EPOCH) {
                grants.remove(producerId);
                return grant(response, allocator.allocate(), (short) 0);
            }
            short bumped = (short) (epoch + 1);
            grants.put(producerId, new Grant(epoch, bumped, now));
            return grant(response, producerId, bumped);
        }
    }

    private void expireGrants(long now) {
        for (Iterator<Grant> it = grants.values().iterator(); it.hasNext(); ) {
            if (now - it.next().atMs() >= grantTtlMs) {
                it.remove();
            }
        }
    }

    private static Struct grant(Struct response, long producerId, short epoch) {
        return response.set(InitProducerIdResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(InitProducerIdResponse.PRODUCER_ID, producerId)
            .set(InitProducerIdResponse.PRODUCER_EPOCH, epoch);
    }

    private static Struct fail(Struct response, ErrorCode error) {
        return response.set(InitProducerIdResponse.ERROR_CODE, error.code())
            .set(InitProducerIdResponse.PRODUCER_ID, RecordBatch.NO_PRODUCER_ID)
            .set(InitProducerIdResponse.PRODUCER_EPOCH, RecordBatch.NO_PRODUCER_EPOCH);
    }
}
