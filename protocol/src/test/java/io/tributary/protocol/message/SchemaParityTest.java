package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every API we serve, every version, request and response: our schema, rendered in Kafka's notation,
 * is Kafka's schema: field names, order, types (compact, nullable), nesting, and tagged fields with their
 * tags. This is the test that our definitions are the wire format, not merely self-consistent.
 */
class SchemaParityTest {
    @TestFactory
    List<DynamicTest> everyVersionOfEveryApiMatchesKafka() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : ApiKey.values()) {
            for (boolean request : new boolean[] {true, false}) {
                MessageSchema ours = request ? ApiSchemas.request(api) : ApiSchemas.response(api);
                assertThat(ours.apiKey()).isEqualTo(api);
                assertThat(ours.isRequest()).isEqualTo(request);
                for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                    short version = v;
                    tests.add(DynamicTest.dynamicTest(ours.title() + " v" + v, () ->
                        assertThat(ours.describe(version)).isEqualTo(KafkaOracle.schema(api, request, version))));
                }
            }
        }
        return tests;
    }
}
