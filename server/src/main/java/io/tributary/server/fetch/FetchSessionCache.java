package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The broker's incremental fetch sessions (KIP-227), at most {@code max.incremental.fetch.session.cache.slots}
 * of them, shared by all connections.
 *
 * <p>What a request's session id and epoch mean (Kafka's rules):
 * <pre>
 * id 0, epoch -1        sessionless: read and answer the partitions named
 * id X, epoch -1        close session X, then as sessionless
 * id any, epoch 0       full fetch: close session X if given; answer every partition named and create a
 *                       new session from them when there is room (the answer carries its id, else 0)
 * id X, epoch n > 0     incremental: n must be X's current epoch (else INVALID_FETCH_SESSION_EPOCH; an
 *                       unknown X is FETCH_SESSION_ID_NOT_FOUND); add or update the partitions named,
 *                       remove forgotten_topics_data; a session left empty closes (answered sessionless)
 * </pre>
 * A session made by a v13+ request (topic ids) refuses an incremental request below v13 and vice versa
 * with FETCH_SESSION_TOPIC_ID_ERROR.
 *
 * <p>Eviction when full, as Kafka does it: a session unused for {@code evictionMs} goes first; otherwise
 * the smallest session older than {@code evictionMs} gives way to a new session with more partitions;
 * otherwise no session is created. Finding them is a linear scan over the slots, done only when the
 * cache is full and a new session is asked for.
 *
 * <p>Thread-safe: one monitor for the map; the session monitor, when needed, is taken inside it.
 */
public final class FetchSessionCache {
    private static final Logger log = LoggerFactory.getLogger(FetchSessionCache.class);
    /** Kafka's fixed eviction age for fetch sessions. */
    public static final long DEFAULT_EVICTION_MS = 120_000;

    private final int maxSessions;
    private final long evictionMs;
    private final LongSupplier clock;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long evictions;

    public FetchSessionCache(int maxSessions, long evictionMs, LongSupplier clock) {
        if (maxSessions < 0) {
            throw new IllegalArgumentException("Fetch session slots " + maxSessions + " must not be negative");
        }
        this.maxSessions = maxSessions;
        this.evictionMs = evictionMs;
        this.clock = clock;
    }

    /**
     * Decides how a request relates to sessions, updating an incremental session at once (its epoch
     * advances even if the answer comes later, as in Kafka).
     *
     * @param requested the partitions the request names, in request order (a later duplicate replaced an earlier one)
     * @param forgotten forgotten_topics_data; only incremental requests use it
     */
    FetchContext newContext(short version, int sessionId, int epoch, LinkedHashMap<FetchKey, PartitionRequest> requested,
                            List<FetchKey> forgotten) {
        boolean usesTopicIds = version >= 13;
        List<PartitionRequest> named = List.copyOf(requested.values());
        if (epoch == FetchSession.INITIAL_EPOCH || epoch == FetchSession.FINAL_EPOCH) {
            if (sessionId != FetchSession.NO_SESSION) {
                remove(sessionId);
            }
            return epoch == FetchSession.FINAL_EPOCH ? new FetchContext.Sessionless(named)
                : new FetchContext.Full(this, named, usesTopicIds);
        }
        synchronized (this) {
            FetchSession session = sessions.get(sessionId);
            if (session == null) {
                return new FetchContext.SessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
            }
            synchronized (session) {
                if (session.epoch() != epoch) {
                    log.debug("Fetch session {} expects epoch {} but the request has {}", sessionId, session.epoch(), epoch);
                    return new FetchContext.SessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
                }
                if (session.usesTopicIds() != usesTopicIds) {
                    return new FetchContext.SessionError(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
                }
                session.update(named, forgotten);
                if (session.size() == 0) {
                    sessions.remove(sessionId);
                    return new FetchContext.Sessionless(named);
                }
                int expected = session.advance(clock.getAsLong());
                return new FetchContext.Incremental(session, expected, session.requests());
            }
        }
    }

    /**
     * Creates a session holding the partitions of a full fetch's answer, evicting one if the cache is full
     * and Kafka's rules allow it.
     *
     * @return the new session's id, or 0 when none was created
     */
    synchronized int maybeCreateSession(boolean usesTopicIds, List<PartitionRead> answered) {
        long now = clock.getAsLong();
        if (sessions.size() >= maxSessions && !tryEvict(answered.size(), now)) {
            return FetchSession.NO_SESSION;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        sessions.put(id, new FetchSession(id, usesTopicIds, now, answered));
        return id;
    }

    private boolean tryEvict(int newSize, long now) {
        FetchSession stalest = null;
        FetchSession smallest = null;
        for (FetchSession session : sessions.values()) {
            if (stalest == null || session.lastUsedMs() < stalest.lastUsedMs()) {
                stalest = session;
            }
            if (now - session.creationMs() > evictionMs
                && (smallest == null || session.size() < smallest.size()
                    || session.size() == smallest.size() && session.id() < smallest.id())) {
                smallest = session;
            }
        }
        FetchSession victim = null;
        if (stalest != null && now - stalest.lastUsedMs() > evictionMs) {
            victim = stalest;
        } else if (smallest != null && newSize > smallest.size()) {
            victim = smallest;
        }
        if (victim == null) {
            return false;
        }
        sessions.remove(victim.id());
        evictions++;
        log.debug("Evicted {} for a new session of {} partitions", victim, newSize);
        return true;
    }

    private synchronized void remove(int sessionId) {
        sessions.remove(sessionId);
    }

    /** Sessions held now. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Sessions evicted to make room since the broker started. */
    public synchronized long evictions() {
        return evictions;
    }

    /** A session by id, or null; for tests and tools. */
    synchronized FetchSession session(int sessionId) {
        return sessions.get(sessionId);
    }

    /** Ids of the sessions held now; for tests and tools. */
    synchronized List<Integer> sessionIds() {
        return List.copyOf(sessions.keySet());
    }
}
