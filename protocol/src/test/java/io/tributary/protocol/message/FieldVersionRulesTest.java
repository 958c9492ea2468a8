package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Field;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int64ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.RecordsField;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens to a field that a version lacks, compared with Kafka for every field of every message:
 * a body with just that field set to a non-default value (and the structs on the way to it), encoded at
 * each version without the field, must either fail in both implementations (not ignorable: Kafka's
 * UnsupportedVersionException, ours) or succeed in both with the same bytes (ignorable: dropped).
 */
class FieldVersionRulesTest {

    @TestFactory
    List<DynamicTest> nonDefaultValuesInMissingFieldsAreRefusedOrDroppedAsKafkaDoes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : ApiKey.values()) {
            for (MessageSchema schema : List.of(ApiSchemas.request(api), ApiSchemas.response(api))) {
                tests.add(DynamicTest.dynamicTest(schema.title(), () -> checkEveryField(schema)));
            }
        }
        return tests;
    }

    /** Checks every field of the message at every version that lacks it; returns how many cases that was. */
    private static int checkEveryField(MessageSchema schema) {
        List<List<Field<?>>> paths = new ArrayList<>();
        collectPaths(schema.root(), new ArrayList<>(), paths);
        ApiKey api = schema.apiKey();
        int checked = 0;
        for (List<Field<?>> path : paths) {
            Field<?> target = path.get(path.size() - 1);
            short carrier = -1;
            for (short v = api.maxVersion(); v >= api.minVersion() && carrier < 0; v--) {
                short version = v;
                if (path.stream().allMatch(f -> f.versions().contains(version))) {
                    carrier = v;
                }
            }
            if (carrier < 0) {
                continue;
            }
            Struct body = schema.newStruct();
            Struct at = body;
            for (Field<?> f : path.subList(0, path.size() - 1)) {
                at = f instanceof StructArrayField a ? at.add(a) : present(at, (StructField) f);
            }
            setNonDefault(at, target, carrier);
            ByteBuffer bytes = KafkaOracle.encode(schema, body, carrier);
            ApiMessage kafka = KafkaOracle.read(api, schema.isRequest(), bytes, carrier);
            for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                if (target.versions().contains(v)) {
                    continue;
                }
                String what = schema.title() + " v" + v + " with " + target + " set (from v" + carrier + ")";
                ByteBuffer theirs = null;
                ByteBuffer ours = null;
                try {
                    theirs = KafkaOracle.write(kafka, v);
                } catch (org.apache.kafka.common.errors.UnsupportedVersionException e) {
                    // Kafka refuses; so must we
                }
                try {
                    ours = KafkaOracle.encode(schema, body, v);
                } catch (UnsupportedVersionException e) {
                    // we refuse; so must Kafka
                }
                assertThat(ours == null).as(what + ": refused by us / by Kafka").isEqualTo(theirs == null);
                if (ours != null) {
                    assertThat(ours).as(what).isEqualTo(theirs);
                }
                checked++;
            }
        }
        return checked;
    }

    /** Every field reachable from {@code schema}, as the list of fields leading to it. */
    private static void collectPaths(StructSchema schema, List<Field<?>> prefix, List<List<Field<?>>> out) {
        for (Field<?> f : schema.fields()) {
            List<Field<?>> path = new ArrayList<>(prefix);
            path.add(f);
            out.add(path);
            if (f instanceof StructField x) {
                collectPaths(x.nestedSchema(), path, out);
            } else if (f instanceof StructArrayField x) {
                collectPaths(x.elementSchema(), path, out);
            }
        }
    }

    /** The nested struct of {@code f}, set to one of defaults first if the field holds null. */
    private static Struct present(Struct s, StructField f) {
        if (s.get(f) == null) {
            s.set(f, f.nestedSchema().newStruct());
        }
        return s.get(f);
    }

    private static void setNonDefault(Struct s, Field<?> f, short version) {
        if (f instanceof BoolField x) {
            s.set(x, !x.defaultValue());
        } else if (f instanceof Int8Field x) {
            s.set(x, x.defaultValue() + 1);
        } else if (f instanceof Int16Field x) {
            s.set(x, x.defaultValue() + 1);
        } else if (f instanceof Int32Field x) {
            s.set(x, x.defaultValue() + 1);
        } else if (f instanceof Int64Field x) {
            s.set(x, x.defaultValue() + 1);
        } else if (f instanceof io.tributary.protocol.message.schema.Float64Field x) {
            s.set(x, x.defaultValue() + 1.5);
        } else if (f instanceof UuidField x) {
            s.set(x, new UUID(1, 2));
        } else if (f instanceof StringField x) {
            s.set(x, x.defaultValue() == null ? "x" : x.defaultValue() + "x");
        } else if (f instanceof BytesField x) {
            s.set(x, ByteBuffer.wrap(new byte[] {7}));
        } else if (f instanceof RecordsField x) {
            s.set(x, ByteBuffer.wrap(new byte[] {7}));
        } else if (f instanceof StructField x) {
            Struct nested = present(s, x);
            Field<?> first = x.nestedSchema().fields().stream().filter(n -> n.versions().contains(version)).findFirst().orElseThrow();
            setNonDefault(nested, first, version);
        } else if (f instanceof StructArrayField x) {
            s.add(x);
        } else if (f instanceof Int32ArrayField x) {
            s.set(x, 1);
        } else if (f instanceof Int64ArrayField x) {
            s.set(x, 1L);
        } else if (f instanceof StringArrayField x) {
            s.set(x, List.of("x"));
        }
        assertThat(s.hasDefaultValue(f)).as("%s made non-default", f).isFalse();
    }

    @Test
    void theComparisonCoversManyFieldsAndVersions() {
        int total = 0;
        for (ApiKey api : ApiKey.values()) {
            total += checkEveryField(ApiSchemas.request(api)) + checkEveryField(ApiSchemas.response(api));
        }
        assertThat(total).isGreaterThan(500);
    }

    @Test
    void aNonIgnorableFieldIsRefusedWithItsNameAndTheVersion() {
        Struct body = FetchResponse.SCHEMA.newStruct();
        body.add(FetchResponse.RESPONSES).add(FetchResponse.FetchableTopicResponse.PARTITIONS)
            .set(FetchResponse.PartitionData.PREFERRED_READ_REPLICA, 3);
        assertThatThrownBy(() -> FetchResponse.SCHEMA.sizeOf(body, (short) 10))
            .isInstanceOf(UnsupportedVersionException.class)
            .hasMessageContaining("preferred_read_replica")
            .hasMessageContaining("version 10");
        assertThat(FetchResponse.SCHEMA.sizeOf(body, (short) 11)).isPositive();
    }

    @Test
    void anIgnorableFieldIsDroppedSilently() {
        // A v13 producer names topics by id; written at v12 the id is dropped and the name (default "") is sent.
        Struct body = ProduceRequest.SCHEMA.newStruct();
        body.add(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TopicProduceData.TOPIC_ID, new UUID(5, 6));
        Struct decoded = ProduceRequest.SCHEMA.read(KafkaOracle.encode(ProduceRequest.SCHEMA, body, (short) 12), (short) 12);
        assertThat(decoded.get(ProduceRequest.TOPIC_DATA).get(0).get(ProduceRequest.TopicProduceData.TOPIC_ID)).isEqualTo(new UUID(0, 0));
    }
}
