package io.tributary.server;

import io.tributary.protocol.ApiKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import static io.tributary.server.BrokerHealth.concat;

/**
 * Random frames on raw connections, one connection per try: pure noise, and frames whose header names an
 * API we serve (at any version) followed by random bytes, so the body decoders see garbage too. Whatever
 * the broker makes of a frame, it must go on serving a well-behaved AdminClient and keep what it held.
 * One broker serves every try; the tries are bounded.
 */
class GarbageFrameProperties {
    private static BrokerFixture fixture;
    private static Admin admin;
    private static BrokerHealth health;

    @BeforeContainer
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of("socket.request.max.bytes", "65536", "auto.create.topics.enable", "false"));
        admin = fixture.admin();
        health = BrokerHealth.prepare(fixture, admin);
    }

    @AfterContainer
    static void stop() {
        admin.close();
        fixture.close();
    }

    @Property(tries = 40)
    void noiseNeverHurtsTheBroker(@ForAll("noise") byte[] bytes) throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            connection.write(bytes);
        }
        health.assertServingAndIntact(admin);
    }

    @Property(tries = 60)
    void garbageBodiesOfServedApisNeverHurtTheBroker(@ForAll("servedApis") ApiKey api, @ForAll("versions") short version,
                                                     @ForAll("noise") byte[] body, @ForAll boolean truncate) throws Exception {
        byte[] frame = concat(BrokerHealth.header(api.id(), version, 1, api.isFlexible(version)), body);
        byte[] sent = concat(ByteBuffer.allocate(4).putInt(frame.length).array(),
            truncate ? Arrays.copyOf(frame, frame.length / 2) : frame);
        try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            connection.write(sent);
        }
        health.assertServingAndIntact(admin);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(4096);
    }

    @Provide
    Arbitrary<ApiKey> servedApis() {
        return Arbitraries.of(ApiKey.API_VERSIONS, ApiKey.METADATA, ApiKey.CREATE_TOPICS, ApiKey.DELETE_TOPICS,
            ApiKey.CREATE_PARTITIONS, ApiKey.DESCRIBE_CONFIGS, ApiKey.ALTER_CONFIGS, ApiKey.INCREMENTAL_ALTER_CONFIGS,
            ApiKey.DESCRIBE_CLUSTER, ApiKey.ELECT_LEADERS, ApiKey.ALTER_PARTITION_REASSIGNMENTS,
            ApiKey.LIST_PARTITION_REASSIGNMENTS);
    }

    @Provide
    Arbitrary<Short> versions() {
        return Arbitraries.shorts().between((short) -1, (short) 15);
    }
}
