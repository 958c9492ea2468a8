package io.tributary.server.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.group.HeartbeatResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an answer of the coordinator gets back to the connection: on its event loop, or nowhere once that has stopped. */
class CoordinatorHandlerTest {
    private static final Struct BODY = HeartbeatResponse.SCHEMA.newStruct().set(HeartbeatResponse.ERROR_CODE, (short) 0);

    private static RequestContext context(Executor eventLoop) throws Exception {
        return new RequestContext(new RequestHeader(ApiKey.HEARTBEAT, (short) 4, 1, "client"),
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50_000), "connection", eventLoop, Runnable::run);
    }

    @Test
    void aLaterAnswerContinuesOnTheEventLoop() throws Exception {
        List<Runnable> loop = new ArrayList<>();
        CompletableFuture<Struct> coordinator = new CompletableFuture<>();
        CompletableFuture<ApiResponse> answer = new CoordinatorHandler((context, request) -> coordinator).handle(context(loop::add), null);

        coordinator.complete(BODY); // on a coordinator thread
        assertThat(answer).isNotDone();
        assertThat(loop).hasSize(1);
        loop.get(0).run();
        assertThat(answer.join().body()).isSameAs(BODY);
    }

    @Test
    void anAnswerReadyAtOnceNeedsNoHop() throws Exception {
        List<Runnable> loop = new ArrayList<>();
        CompletableFuture<ApiResponse> answer = new CoordinatorHandler((context, request) -> CompletableFuture.completedFuture(BODY))
            .handle(context(loop::add), null);
        assertThat(answer.join().body()).isSameAs(BODY);
        assertThat(loop).isEmpty();
    }

    @Test
    void aStoppedEventLoopDoesNotThrowIntoTheCoordinatorThread() throws Exception {
        Executor stopped = task -> {
            throw new RejectedExecutionException("event executor terminated");
        };
        CompletableFuture<Struct> coordinator = new CompletableFuture<>();
        CompletableFuture<ApiResponse> answer = new CoordinatorHandler((context, request) -> coordinator).handle(context(stopped), null);

        assertThatCode(() -> coordinator.complete(BODY)).doesNotThrowAnyException();
        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).hasRootCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void theClientHostIsShownAsKafkaShowsIt() throws Exception {
        assertThat(CoordinatorHandler.clientHost(context(Runnable::run))).isEqualTo("/127.0.0.1");
    }
}
