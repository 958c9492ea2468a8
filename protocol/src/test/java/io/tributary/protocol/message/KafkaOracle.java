package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
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
import io.tributary.protocol.message.schema.UuidField;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireWriter;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kafka side of every comparison: Kafka's own schemas, generated message classes and serializer
 * (kafka-clients, test scope only), and a field-by-field comparison of a Kafka message object with one
 * of our structs, matched by name (our snake_case wire name is Kafka's camelCase accessor).
 */
final class KafkaOracle {
    private static final Map<String, Method> GETTERS = new ConcurrentHashMap<>();

    private KafkaOracle() {
    }

    static ApiMessageType type(ApiKey api) {
        return ApiMessageType.fromApiKey(api.id());
    }

    static ApiMessage newMessage(ApiKey api, boolean request) {
        return request ? type(api).newRequest() : type(api).newResponse();
    }

    /** Kafka decodes {@code bytes} (not moved) as the body of {@code api} at {@code version}. */
    static ApiMessage read(ApiKey api, boolean request, ByteBuffer bytes, short version) {
        ApiMessage m = newMessage(api, request);
        m.read(new ByteBufferAccessor(bytes.duplicate()), version);
        return m;
    }

    static ByteBuffer write(ApiMessage message, short version) {
        return MessageUtil.toByteBufferAccessor(message, version).buffer();
    }

    /** Kafka's schema for the body, rendered as /work/shared/tools/KafkaSchemas.java renders it. */
    static String schema(ApiKey api, boolean request, short version) {
        Schema[] schemas = request ? type(api).requestSchemas() : type(api).responseSchemas();
        return render(schemas[version]);
    }

    static String render(Type type) {
        if (type instanceof Schema schema) {
            StringBuilder b = new StringBuilder("{");
            for (BoundField f : schema.fields()) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(f.def.name).append(':').append(render(f.def.type));
            }
            return b.append('}').toString();
        }
        if (type instanceof TaggedFields) {
            try {
                java.lang.reflect.Field m = TaggedFields.class.getDeclaredField("fields");
                m.setAccessible(true);
                Map<?, ?> tags = (Map<?, ?>) m.get(type);
                StringBuilder b = new StringBuilder("TAGGED(");
                for (Map.Entry<?, ?> e : tags.entrySet()) {
                    org.apache.kafka.common.protocol.types.Field f = (org.apache.kafka.common.protocol.types.Field) e.getValue();
                    if (b.length() > 7) {
                        b.append(',');
                    }
                    b.append(e.getKey()).append(':').append(f.name).append(':').append(render(f.type));
                }
                return b.append(')').toString();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        Optional<Type> elem = type.arrayElementType();
        if (elem.isPresent()) {
            String n = type.toString();
            return n.substring(0, n.indexOf('(')) + "(" + render(elem.get()) + ")";
        }
        return type.toString();
    }

    static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    static Object get(Object kafka, String snakeName) {
        Method m = GETTERS.computeIfAbsent(kafka.getClass().getName() + "#" + snakeName, k -> {
            try {
                return kafka.getClass().getMethod(camel(snakeName));
            } catch (NoSuchMethodException e) {
                throw new AssertionError("Kafka's " + kafka.getClass().getSimpleName() + " has no field " + snakeName, e);
            }
        });
        try {
            return m.invoke(kafka);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that every field of {@code ours} (of every version) holds the value Kafka's object holds. */
    static void assertSameValues(Struct ours, Object kafka, String path) {
        for (Field<?> f : ours.schema().fields()) {
            String at = path + "." + f.name();
            Object k = get(kafka, f.name());
            if (f instanceof BoolField x) {
                check(at, ours.get(x), k);
            } else if (f instanceof Int8Field x) {
                check(at, (long) ours.get(x), ((Number) k).longValue());
            } else if (f instanceof Int16Field x) {
                check(at, (long) ours.get(x), ((Number) k).longValue());
            } else if (f instanceof Int32Field x) {
                check(at, (long) ours.get(x), ((Number) k).longValue());
            } else if (f instanceof Int64Field x) {
                check(at, ours.get(x), ((Number) k).longValue());
            } else if (f instanceof io.tributary.protocol.message.schema.Float64Field x) {
                check(at, ours.get(x), ((Number) k).doubleValue());
            } else if (f instanceof UuidField x) {
                Uuid u = (Uuid) k;
                check(at, ours.get(x), new java.util.UUID(u.getMostSignificantBits(), u.getLeastSignificantBits()));
            } else if (f instanceof StringField x) {
                check(at, ours.get(x), k);
            } else if (f instanceof BytesField x) {
                check(at, ours.get(x), k instanceof byte[] b ? ByteBuffer.wrap(b) : k);
            } else if (f instanceof RecordsField x) {
                check(at, ours.get(x), k == null ? null : ((MemoryRecords) k).buffer());
            } else if (f instanceof StructField x) {
                Struct nested = ours.get(x);
                if (nested == null || k == null) {
                    check(at, nested, k);
                    continue;
                }
                assertSameValues(nested, k, at);
            } else if (f instanceof StructArrayField x) {
                List<Struct> list = ours.get(x);
                if (list == null || k == null) {
                    check(at, list, k);
                    continue;
                }
                List<Object> theirs = new ArrayList<>();
                ((Iterable<?>) k).forEach(theirs::add);
                check(at + ".size", list.size(), theirs.size());
                for (int i = 0; i < list.size(); i++) {
                    assertSameValues(list.get(i), theirs.get(i), at + "[" + i + "]");
                }
            } else if (f instanceof Int32ArrayField x) {
                int[] values = ours.get(x);
                check(at, values == null ? null : Arrays.stream(values).boxed().toList(), k == null ? null : List.copyOf((List<?>) k));
            } else if (f instanceof Int64ArrayField x) {
                long[] values = ours.get(x);
                check(at, values == null ? null : Arrays.stream(values).boxed().toList(), k == null ? null : List.copyOf((List<?>) k));
            } else if (f instanceof StringArrayField x) {
                check(at, ours.get(x), k);
            } else {
                throw new AssertionError("No comparison for " + f.getClass());
            }
        }
        List<org.apache.kafka.common.protocol.types.RawTaggedField> theirs =
            ((org.apache.kafka.common.protocol.Message) kafka).unknownTaggedFields();
        List<RawTaggedField> mine = ours.unknownTaggedFields();
        check(path + "._unknown_tags.size", mine.size(), theirs.size());
        for (int i = 0; i < mine.size(); i++) {
            check(path + "._unknown_tags[" + i + "].tag", mine.get(i).tag(), theirs.get(i).tag());
            check(path + "._unknown_tags[" + i + "].data", mine.get(i).data(), ByteBuffer.wrap(theirs.get(i).data()));
        }
    }

    /** Our encoding of {@code body}, checking that {@link MessageSchema#sizeOf} is exactly what is written. */
    static ByteBuffer encode(MessageSchema schema, Struct body, short version) {
        ByteBuffer b = ByteBuffer.allocate(schema.sizeOf(body, version));
        schema.write(body, version, new WireWriter(b));
        if (b.hasRemaining()) {
            throw new AssertionError(schema.title() + " v" + version + ": sizeOf said " + b.capacity() + " but " + b.position() + " were written");
        }
        return b.flip();
    }

    /**
     * The round trip both ways for one body: our bytes, read by Kafka, hold our values and re-encode (by
     * Kafka) to the same bytes; Kafka's bytes, read by us, equal the body and re-encode (by us) to Kafka's
     * bytes.
     */
    static void assertRoundTrip(MessageSchema schema, Struct body, short version) {
        ByteBuffer ours = encode(schema, body, version);
        ApiMessage kafka = read(schema.apiKey(), schema.isRequest(), ours, version);
        assertSameValues(body, kafka, schema.title() + " v" + version);
        ByteBuffer theirs = write(kafka, version);
        if (!theirs.equals(ours)) {
            throw new AssertionError(schema.title() + " v" + version + ": Kafka re-encodes " + kafka + " to different bytes than ours:\n  ours   "
                + hex(ours) + "\n  Kafka  " + hex(theirs));
        }
        Struct decoded = schema.read(theirs.duplicate(), version);
        if (!decoded.equals(body)) {
            throw new AssertionError(schema.title() + " v" + version + ": decoding Kafka's bytes gives " + decoded + ", not " + body);
        }
        assertSameValues(decoded, kafka, schema.title() + " v" + version + " (decoded)");
        ByteBuffer again = encode(schema, decoded, version);
        if (!again.equals(theirs)) {
            throw new AssertionError(schema.title() + " v" + version + ": re-encoding what we decoded from Kafka's bytes differs");
        }
    }

    static String hex(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.position(); i < b.limit(); i++) {
            s.append(String.format("%02x", b.get(i)));
        }
        return s.toString();
    }

    private static void check(String path, Object ours, Object theirs) {
        if (!java.util.Objects.equals(ours, theirs)) {
            throw new AssertionError(path + ": ours " + ours + " but Kafka's " + theirs);
        }
    }
}
