package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-for-byte agreement with Kafka's generated message classes for every version of every API we
 * serve, request and response, on populated random bodies (fixed seeds, so a failure reproduces): see
 * {@link KafkaOracle#assertRoundTrip}. The samples of each version together set every field it has, at
 * every depth, to a non-default value. Fields a version lacks keep their defaults on our side and
 * Kafka's, and the comparison covers them too, so our defaults are Kafka's.
 */
class KafkaRoundTripTest {
    private static final int SAMPLES = 25;

    @TestFactory
    List<DynamicTest> everyVersionOfEveryApiRoundTripsWithKafka() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : ApiKey.values()) {
            for (MessageSchema schema : List.of(ApiSchemas.request(api), ApiSchemas.response(api))) {
                for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                    short version = v;
                    tests.add(DynamicTest.dynamicTest(schema.title() + " v" + v, () -> {
                        Random random = new Random(schema.title().hashCode() * 31L + version);
                        StructGenerator generator = new StructGenerator(random);
                        FieldCoverage coverage = new FieldCoverage();
                        for (int i = 0; i < SAMPLES; i++) {
                            Struct body = generator.generate(schema, version);
                            coverage.record(body);
                            KafkaOracle.assertRoundTrip(schema, body, version);
                        }
                        assertThat(coverage.missing(schema, version)).as("fields never populated").isEmpty();
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void defaultsAreKafkasDefaults() {
        for (ApiKey api : ApiKey.values()) {
            for (MessageSchema schema : List.of(ApiSchemas.request(api), ApiSchemas.response(api))) {
                Struct ours = schema.newStruct();
                KafkaOracle.assertSameValues(ours, KafkaOracle.newMessage(api, schema.isRequest()), schema.title() + " defaults");
            }
        }
    }

    @Test
    void anEmptyMessageEncodesLikeKafkasEmptyMessage() {
        for (ApiKey api : ApiKey.values()) {
            for (MessageSchema schema : List.of(ApiSchemas.request(api), ApiSchemas.response(api))) {
                for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                    assertThat(KafkaOracle.encode(schema, schema.newStruct(), v))
                        .as("%s v%d", schema.title(), v)
                        .isEqualTo(KafkaOracle.write(KafkaOracle.newMessage(api, schema.isRequest()), v));
                }
            }
        }
    }
}
