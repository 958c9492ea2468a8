package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * How one fetch request relates to fetch sessions (KIP-227), decided when it arrives: what to read, and
 * how to turn the reads into an answer when it is sent (now, or when a parked fetch completes).
 */
sealed interface FetchContext {

    /** The partitions to read, in read order; fixed when the request arrived. */
    List<PartitionRequest> partitions();

    /**
     * The answer's top-level error, session id and the reads it carries (a subset of {@code reads}, in
     * order); updates session state. Reads left out are the caller's to release.
     */
    FetchAnswer answer(List<PartitionRead> reads);

    /** What an answer carries besides the throttle time. */
    record FetchAnswer(ErrorCode error, int sessionId, List<PartitionRead> partitions) {
    }

    /** No session: session id 0 and epoch -1 (every request before v7), or a session closed by this request. */
    record Sessionless(List<PartitionRequest> partitions) implements FetchContext {
        @Override
        public FetchAnswer answer(List<PartitionRead> reads) {
            return new FetchAnswer(ErrorCode.NONE, FetchSession.NO_SESSION, reads);
        }
    }

    /** A full fetch (epoch 0): answers every partition, and creates a session from them if the cache has room. */
    record Full(FetchSessionCache cache, List<PartitionRequest> partitions, boolean usesTopicIds) implements FetchContext {
        @Override
        public FetchAnswer answer(List<PartitionRead> reads) {
            return new FetchAnswer(ErrorCode.NONE, cache.maybeCreateSession(usesTopicIds, reads), reads);
        }
    }

    /**
     * An incremental fetch of an existing session whose epoch it carried: answers only the partitions that
     * changed. {@code expectedEpoch} is the session's epoch after accepting this request.
     */
    record Incremental(FetchSession session, int expectedEpoch, List<PartitionRequest> partitions) implements FetchContext {
        @Override
        public FetchAnswer answer(List<PartitionRead> reads) {
            List<PartitionRead> selected = session.select(expectedEpoch, reads);
            if (selected == null) {
                return new FetchAnswer(ErrorCode.INVALID_FETCH_SESSION_EPOCH, session.id(), List.of());
            }
            return new FetchAnswer(ErrorCode.NONE, session.id(), selected);
        }
    }

    /** A session error: nothing is read and the answer is the error alone, with session id 0. */
    record SessionError(ErrorCode error) implements FetchContext {
        @Override
        public List<PartitionRequest> partitions() {
            return List.of();
        }

        @Override
        public FetchAnswer answer(List<PartitionRead> reads) {
            return new FetchAnswer(error, FetchSession.NO_SESSION, List.of());
        }
    }
}
