package io.tributary.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static io.tributary.server.BrokerHealth.concat;
import static io.tributary.server.BrokerHealth.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile input on plain sockets. Each case must end with the broker still serving a
 * well-behaved AdminClient on another connection (opened before the abuse) and with the topics and
 * records that existed before untouched. socket.request.max.bytes is 1 MiB here, so the frame-size
 * limit is easy to cross.
 */
class BadInputIntegrationTest {
    static final int MAX_REQUEST = 1024 * 1024;
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    BrokerFixture fixture = new BrokerFixture(Map.of("socket.request.max.bytes", Integer.toString(MAX_REQUEST)));
    Admin admin;
    BrokerHealth health;

    @BeforeEach
    void prepare() throws Exception {
        admin = fixture.admin();
        health = BrokerHealth.prepare(fixture, admin);
    }

    @AfterEach
    void stop() {
        admin.close();
        fixture.close();
    }

    private RawKafkaConnection connect() {
        return RawKafkaConnection.open(fixture.port());
    }

    @Test
    void randomBytesCloseOnlyThatConnection() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(20240611L).nextBytes(noise);
        noise[0] = (byte) 0x80; // a negative size prefix: refused on sight
        try (RawKafkaConnection connection = connect()) {
            connection.write(noise);
            assertThat(connection.closedByBroker(CLOSE_DEADLINE)).isTrue();
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void aTruncatedFrameFollowedByCloseIsForgotten() throws Exception {
        try (RawKafkaConnection connection = connect()) {
            connection.write(concat(ByteBuffer.allocate(4).putInt(1000).array(), header(18, 3, 1, true)));
        }
        try (RawKafkaConnection connection = connect()) {
            byte[] frame = concat(header(19, 7, 2, true), new byte[200]);
            connection.write(concat(ByteBuffer.allocate(4).putInt(frame.length).array(), java.util.Arrays.copyOf(frame, 50)));
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void aSizePrefixAboveTheLimitClosesTheConnectionBeforeAnythingIsAllocated() throws Exception {
        long allocatedBefore = allocatedBytes();
        long directBefore = nettyDirectMemory();
        try (RawKafkaConnection connection = connect()) {
            connection.write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()); // a 2 GiB claim, nothing more
            assertThat(connection.closedByBroker(CLOSE_DEADLINE)).as("closed on the size prefix alone").isTrue();
        }
        assertThat(allocatedBytes() - allocatedBefore).as("heap allocated by all threads meanwhile")
            .isLessThan(32L * 1024 * 1024);
        assertThat(nettyDirectMemory() - directBefore).as("Netty direct memory in use").isLessThan(4L * 1024 * 1024);

        try (RawKafkaConnection connection = connect()) {
            connection.write(ByteBuffer.allocate(4).putInt(MAX_REQUEST + 1).array());
            assertThat(connection.closedByBroker(CLOSE_DEADLINE)).as("one byte over socket.request.max.bytes").isTrue();
        }
        try (RawKafkaConnection connection = connect()) {
            connection.write(ByteBuffer.allocate(4).putInt(-1).array());
            assertThat(connection.closedByBroker(CLOSE_DEADLINE)).as("a negative size").isTrue();
        }
        try (RawKafkaConnection connection = connect()) {
            // Exactly the limit is allowed, and may arrive in pieces.
            byte[] frame = apiVersionsOfSize(MAX_REQUEST, 77);
            connection.write(concat(ByteBuffer.allocate(4).putInt(frame.length).array(), java.util.Arrays.copyOf(frame, 16)));
            connection.write(java.util.Arrays.copyOfRange(frame, 16, frame.length));
            ByteBuffer answer = ByteBuffer.wrap(connection.readFrame());
            assertThat(answer.getInt()).isEqualTo(77);
            assertThat(ApiVersionsResponse.parse(new ByteBufferAccessor(answer), (short) 3).data().errorCode()).isZero();
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() throws Exception {
        for (int apiKey : new int[] {999, 17, -1}) {
            try (RawKafkaConnection connection = connect()) {
                connection.writeFrame(header(apiKey, 0, 7, false));
                assertThat(connection.closedByBroker(CLOSE_DEADLINE)).as("API key %d", apiKey).isTrue();
            }
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void anUnsupportedVersionOfANormalApiClosesTheConnection() throws Exception {
        int[][] cases = {{19, 99}, {3, 14}, {0, 2}, {32, 0}};
        for (int[] api : cases) {
            try (RawKafkaConnection connection = connect()) {
                connection.writeFrame(concat(header(api[0], api[1], 5, api[1] >= 5), new byte[8]));
                assertThat(connection.closedByBroker(CLOSE_DEADLINE)).as("API %d v%d", api[0], api[1]).isTrue();
            }
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void aMalformedBodyOfASupportedVersionClosesTheConnection() throws Exception {
        try (RawKafkaConnection connection = connect()) {
            // CreateTopics v7: a compact array claiming 2^28 topics in a 6-byte body
            connection.writeFrame(concat(header(19, 7, 9, true), new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 0}));
            assertThat(connection.closedByBroker(CLOSE_DEADLINE)).isTrue();
        }
        health.assertServingAndIntact(admin);
    }

    @Test
    void anUnsupportedApiVersionsVersionIsAnsweredAtV0WithOurVersions() throws Exception {
        try (RawKafkaConnection connection = connect()) {
            connection.writeFrame(concat(header(18, 99, 42, true), new byte[] {1, 2, 3}));
            ByteBuffer frame = ByteBuffer.wrap(connection.readFrame());
            assertThat(frame.getInt()).as("correlation id, response header v0").isEqualTo(42);
            ApiVersionsResponse response = ApiVersionsResponse.parse(new ByteBufferAccessor(frame), (short) 0);
            assertThat(frame.hasRemaining()).isFalse();
            assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            ApiVersion createTopics = response.apiVersion(ApiKeys.CREATE_TOPICS.id);
            assertThat(createTopics.minVersion()).isEqualTo((short) 2);
            assertThat(createTopics.maxVersion()).isEqualTo((short) 7);
            assertThat(response.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);

            // The connection stays usable: the client retries with a version we serve.
            ApiVersionsResponse retried = connection.send(new ApiVersionsRequest.Builder(), (short) 3);
            assertThat(retried.data().errorCode()).isZero();
            assertThat(retried.apiVersion(ApiKeys.DESCRIBE_CLUSTER.id).maxVersion()).isEqualTo((short) 2);
        }
        health.assertServingAndIntact(admin);
    }

    /**
     * An ApiVersions v3 request of exactly {@code size} bytes (header included), padded with one unknown
     * tagged field (strings are capped at 32767 bytes, tagged fields only by the frame).
     */
    private static byte[] apiVersionsOfSize(int size, int correlationId) {
        byte[] header = header(18, 3, correlationId, true);
        ByteBuffer body = ByteBuffer.allocate(size - header.length);
        body.put((byte) 2).put((byte) 'a').put((byte) 2).put((byte) '1'); // client software name and version
        int padding = body.remaining() - 5; // tagged field count, tag, 3-byte size
        body.put((byte) 1).put((byte) 0);
        body.put((byte) (padding & 0x7F | 0x80)).put((byte) (padding >>> 7 & 0x7F | 0x80)).put((byte) (padding >>> 14));
        if (padding >>> 21 != 0 || body.remaining() != padding) {
            throw new IllegalStateException("Request of " + size + " bytes does not fit a 3-byte tagged field size");
        }
        return concat(header, body.array());
    }

    /** Heap allocated by every thread of this JVM (broker and test alike) since it started. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long nettyDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }
}
