package io.tributary.protocol.message;

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
import io.tributary.protocol.message.wire.RawTaggedField;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Random message bodies valid at one version: every field the version has gets a value (often its
 * default, so that tagged fields are sometimes sent and sometimes not; null where the version allows it;
 * strings mixing one- to four-byte UTF-8), fields the version lacks keep their defaults, and flexible
 * structs sometimes carry unknown tagged fields. Arrays are short so that a message stays small.
 */
final class StructGenerator {
    private static final String[] WORDS = {"", "a", "topic-1", "grüße", "Ωμέγα", "日本語", "emoji-\uD83D\uDE00", "__consumer_offsets", "x.y_z"};

    private final Random random;

    StructGenerator(Random random) {
        this.random = random;
    }

    Struct generate(MessageSchema schema, short version) {
        return fill(schema.root(), version, schema.apiKey().isFlexible(version), 0);
    }

    private Struct fill(StructSchema schema, short v, boolean flexible, int depth) {
        Struct s = schema.newStruct();
        int maxTag = -1;
        for (Field<?> f : schema.fields()) {
            maxTag = Math.max(maxTag, f.tag());
            if (f.versions().contains(v)) {
                set(s, f, v, flexible, depth);
            }
        }
        if (flexible && random.nextInt(6) == 0) {
            int tag = maxTag + 1 + random.nextInt(3);
            for (int i = random.nextInt(2); i >= 0; i--) {
                byte[] data = bytes(random.nextInt(4));
                s.addUnknownTaggedField(new RawTaggedField(tag, ByteBuffer.wrap(data)));
                tag += 1 + random.nextInt(3);
            }
        }
        return s;
    }

    private boolean chooseNull(Field<?> f, short v) {
        return f.nullableVersions().contains(v) && random.nextInt(4) == 0;
    }

    private void set(Struct s, Field<?> f, short v, boolean flexible, int depth) {
        if (f instanceof BoolField x) {
            s.set(x, random.nextBoolean());
        } else if (f instanceof Int8Field x) {
            s.set(x, (int) pick(x.defaultValue(), Byte.MIN_VALUE, Byte.MAX_VALUE));
        } else if (f instanceof Int16Field x) {
            s.set(x, (int) pick(x.defaultValue(), Short.MIN_VALUE, Short.MAX_VALUE));
        } else if (f instanceof Int32Field x) {
            s.set(x, (int) pick(x.defaultValue(), Integer.MIN_VALUE, Integer.MAX_VALUE));
        } else if (f instanceof Int64Field x) {
            s.set(x, pick(x.defaultValue(), Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (f instanceof io.tributary.protocol.message.schema.Float64Field x) {
            s.set(x, random.nextInt(4) == 0 ? x.defaultValue() : random.nextDouble() * 1e9);
        } else if (f instanceof UuidField x) {
            s.set(x, random.nextInt(4) == 0 ? new UUID(0, 0) : new UUID(random.nextLong(), random.nextLong()));
        } else if (f instanceof StringField x) {
            s.set(x, chooseNull(f, v) ? null : random.nextInt(4) == 0 && x.defaultValue() != null ? x.defaultValue() : word());
        } else if (f instanceof BytesField x) {
            s.set(x, chooseNull(f, v) ? null : ByteBuffer.wrap(bytes(random.nextInt(6))));
        } else if (f instanceof RecordsField x) {
            s.set(x, chooseNull(f, v) ? null : ByteBuffer.wrap(bytes(random.nextInt(40))));
        } else if (f instanceof StructField x) {
            if (random.nextInt(3) != 0) {
                s.set(x, fill(x.nestedSchema(), v, flexible, depth + 1));
            }
        } else if (f instanceof StructArrayField x) {
            if (chooseNull(f, v)) {
                s.set(x, null);
            } else {
                List<Struct> list = new ArrayList<>();
                int n = random.nextInt(depth < 2 ? 4 : 2);
                for (int i = 0; i < n; i++) {
                    list.add(fill(x.elementSchema(), v, flexible, depth + 1));
                }
                s.set(x, list);
            }
        } else if (f instanceof Int32ArrayField x) {
            if (chooseNull(f, v)) {
                s.set(x, (int[]) null);
            } else {
                int[] values = new int[random.nextInt(5)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(10) - 1;
                }
                s.set(x, values);
            }
        } else if (f instanceof Int64ArrayField x) {
            if (chooseNull(f, v)) {
                s.set(x, (long[]) null);
            } else {
                long[] values = new long[random.nextInt(5)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(10) - 1;
                }
                s.set(x, values);
            }
        } else if (f instanceof StringArrayField x) {
            if (chooseNull(f, v)) {
                s.set(x, null);
            } else {
                List<String> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(word());
                }
                s.set(x, list);
            }
        } else {
            throw new AssertionError("No generator for " + f.getClass());
        }
    }

    /** The default a third of the time, a small number a third, anything in range the rest. */
    private long pick(long defaultValue, long min, long max) {
        switch (random.nextInt(3)) {
            case 0:
                return defaultValue;
            case 1:
                return random.nextInt(7) - 1;
            default:
                long r = random.nextLong();
                return max == Long.MAX_VALUE ? r : min + Math.floorMod(r, max - min + 1);
        }
    }

    private String word() {
        if (random.nextInt(3) == 0) {
            return WORDS[random.nextInt(WORDS.length)];
        }
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
