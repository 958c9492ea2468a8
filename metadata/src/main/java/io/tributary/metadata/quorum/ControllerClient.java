package io.tributary.metadata.quorum;

import io.tributary.protocol.ErrorCode;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How a broker reaches the controller: its own {@link QuorumController} when this node leads, otherwise the leader's,
 * through a Ratis client as a read-only message addressed to the leader this node knows of. A NOT_CONTROLLER answer
 * or a failed send (no leader yet, the leader just changed) is retried every 100 ms until the deadline; after that the
 * caller gets the last refusal (NOT_CONTROLLER or REQUEST_TIMED_OUT).
 *
 * <p>Design note: riding on Ratis' transport means no second inter-node protocol and no extra port: the leader is
 * whoever Ratis says it is, and the request reaches it over the connections the quorum already has.
 */
public final class ControllerClient implements AutoCloseable {
    private static final long RETRY_MS = 100;

    private final MetadataQuorum quorum;
    private final QuorumController local;
    private final ScheduledExecutorService retries;
    private volatile RaftClient remote;

    public ControllerClient(MetadataQuorum quorum, QuorumController local) {
        this.quorum = quorum;
        this.local = local;
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "controller-client-" + quorum.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends {@code request} to the controller, retrying while there is none, up to {@code timeout}. */
    public CompletableFuture<ControllerReply> send(ControllerRequest request, Duration timeout) {
        CompletableFuture<ControllerReply> result = new CompletableFuture<>();
        attempt(request, System.nanoTime() + timeout.toNanos(), result);
        return result;
    }

    private void attempt(ControllerRequest request, long deadlineNanos, CompletableFuture<ControllerReply> result) {
        once(request).whenComplete((reply, failure) -> {
            ControllerReply outcome = failure == null ? reply
                : ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, "Controller unreachable: " + failure);
            boolean retriable = outcome.error() == ErrorCode.NOT_CONTROLLER
                || outcome.error() == ErrorCode.REQUEST_TIMED_OUT && failure != null;
            if (!retriable || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS) - deadlineNanos >= 0) {
                result.complete(outcome);
                return;
            }
            try {
                retries.schedule(() -> attempt(request, deadlineNanos, result), RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.complete(outcome);
            }
        });
    }

    private CompletableFuture<ControllerReply> once(ControllerRequest request) {
        if (quorum.isLeader()) {
            return local.handle(request);
        }
        int leader = quorum.leaderId();
        if (leader < 0 || leader == quorum.nodeId()) {
            return CompletableFuture.completedFuture(ControllerReply.refused(ErrorCode.NOT_CONTROLLER,
                "No controller is known to node " + quorum.nodeId()));
        }
        RaftClient client = remote;
        if (client == null) {
            synchronized (this) {
                if (remote == null) {
                    remote = quorum.newRaftClient(quorum.config().writeTimeout().plusSeconds(2));
                }
                client = remote;
            }
        }
        Message message = Message.valueOf(ByteString.copyFrom(ControllerRequest.encode(request)));
        // Unordered: controller requests are independent, and Ratis' ordered async path keeps a sliding window per
        // server that, once a send to it failed (the peer not up yet), stays closed and fails every later send with
        // AlreadyClosedException; a broker started before its peers then never registered.
        RaftClient used = client;
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<ControllerReply> answer = new CompletableFuture<>();
        client.async().sendReadOnlyUnordered(message, MetadataQuorum.peerId(leader))
            .whenComplete((reply, failure) -> {
                if (failure != null && !abandoned.get()) {
                    discard(used); // a transport failure: the next attempt starts from a fresh client
                }
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(reply(reply));
                }
            });
        watchForNewLeader(leader, answer, abandoned);
        return answer;
    }

    /**
     * Gives up on a request sent to {@code leader} once this node knows another controller (or is it): a frozen or
     * partitioned old leader answers nothing until the client's request timeout (the write timeout and more), and a
     * broker whose heartbeat waits that long is fenced by the new controller, which hears from nobody. Kafka's brokers
     * likewise resend to the new controller when they learn of it. The request abandoned here may still be decided by
     * the old leader, as a request in flight during any failover may; the retry then sees its outcome (a broker
     * already registered, a topic that exists).
     */
    private void watchForNewLeader(int leader, CompletableFuture<ControllerReply> answer,
                                   java.util.concurrent.atomic.AtomicBoolean abandoned) {
        java.util.concurrent.ScheduledFuture<?> watch;
        try {
            watch = retries.scheduleWithFixedDelay(() -> {
                int known = quorum.leaderId();
                if (quorum.isLeader() || known >= 0 && known != leader) {
                    abandoned.set(true);
                    answer.complete(ControllerReply.refused(ErrorCode.NOT_CONTROLLER,
                        "The controller moved from node " + leader + " to node " + known));
                }
            }, RETRY_MS, RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // stopping: the request's own outcome or timeout ends it
        }
        answer.whenComplete((r, f) -> watch.cancel(false));
    }

    private void discard(RaftClient client) {
        synchronized (this) {
            if (remote != client) {
                return;
            }
            remote = null;
        }
        try {
            client.close();
        } catch (IOException ignored) {
            // a client that already failed: nothing more to release
        }
    }

    private ControllerReply reply(RaftClientReply reply) {
        if (reply.isSuccess()) {
            return ControllerReply.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
        }
        // Not the leader (any more), leader not ready yet: all mean "ask again", as NOT_CONTROLLER does.
        return ControllerReply.refused(ErrorCode.NOT_CONTROLLER, String.valueOf(reply.getException()));
    }

    @Override
    public void close() {
        retries.shutdownNow();
        RaftClient client = remote;
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing a client of a stopping node: nothing to do
            }
        }
    }
}
