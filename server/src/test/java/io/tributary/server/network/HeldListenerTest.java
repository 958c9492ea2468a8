package io.tributary.server.network;

import io.tributary.protocol.ApiKey;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.ApiVersionsHandler;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker binds its listeners before it can serve ({@link NetworkServer#bindHeld}): a client may connect at once, and
 * its first request is read only after {@link NetworkServer#acceptConnections}, with every handler registered by then.
 */
@Timeout(60)
class HeldListenerTest {

    @Test
    void aConnectionMadeBeforeAcceptingWaitsAndIsThenServed() throws Exception {
        ServerConfig config = ServerConfig.of(Map.of(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0",
            ServerConfig.NUM_NETWORK_THREADS, "1"));
        ApiDispatcher dispatcher = new ApiDispatcher();
        ExecutorService io = Executors.newSingleThreadExecutor();
        try (NetworkServer network = NetworkServer.bindHeld(config, dispatcher, io, null)) {
            int port = network.boundAddresses().get(0).getPort();
            // the kernel completes the handshake from the listen backlog; the request waits unread
            try (RawKafkaConnection early = RawKafkaConnection.open(port)) {
                short version = 3;
                AbstractRequest request = new ApiVersionsRequest.Builder(version).build(version);
                RequestHeader header = new RequestHeader(request.apiKey(), version, "early", 1);
                ByteBuffer frame = request.serializeWithHeader(header);
                byte[] bytes = new byte[frame.remaining()];
                frame.get(bytes);
                early.writeFrame(bytes);
                // registered only now: had the request been read before acceptConnections, it would have found no handler
                dispatcher.register(ApiKey.API_VERSIONS, new ApiVersionsHandler(dispatcher));
                network.acceptConnections(RequestObserver.NONE);
                ApiVersionsResponse response = (ApiVersionsResponse) AbstractResponse.parseResponse(
                    ByteBuffer.wrap(early.readFrame()), header);
                assertThat(response.data().errorCode()).isZero();
                assertThat(response.data().apiKeys()).isNotEmpty();
            }
            // and connections made from here on are accepted as usual
            try (RawKafkaConnection later = RawKafkaConnection.open(port)) {
                ApiVersionsResponse response = later.send(new ApiVersionsRequest.Builder((short) 3), (short) 3);
                assertThat(response.data().errorCode()).isZero();
            }
        } finally {
            io.shutdownNow();
        }
    }
}
