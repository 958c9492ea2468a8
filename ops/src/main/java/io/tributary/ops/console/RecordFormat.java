package io.tributary.ops.console;

import io.tributary.protocol.record.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line template for consumed records: text with placeholders {@code {topic}}, {@code {partition}},
 * {@code {offset}}, {@code {timestamp}} (epoch milliseconds), {@code {key}}, {@code {value}} and
 * {@code {headers}} (as {@code k1=v1,k2=v2}), and the escapes {@code \t}, {@code \n} and {@code \\}. Keys,
 * values and header values print as UTF-8; an absent key or value prints as {@code null}. Parsed once, so
 * formatting a record appends fields and literal runs only.
 */
public final class RecordFormat {
    /** The fields a template may name. */
    enum Field { TOPIC, PARTITION, OFFSET, TIMESTAMP, KEY, VALUE, HEADERS }

    private final List<Object> parts; // String literal or Field

    private RecordFormat(List<Object> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming an unknown placeholder or an unclosed brace */
    public static RecordFormat parse(String template) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                char next = template.charAt(++i);
                literal.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    default -> next;
                });
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '{' at position " + i + " of the format '" + template + "'");
                }
                String name = template.substring(i + 1, close);
                Field field;
                try {
                    field = Field.valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown placeholder {" + name + "} in the format '" + template
                        + "'; known: {topic} {partition} {offset} {timestamp} {key} {value} {headers}");
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(field);
                i = close;
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new RecordFormat(List.copyOf(parts));
    }

    /** The record's line (without a trailing newline unless the template has one). */
    public String format(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                         Iterable<Header> headers) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
                continue;
            }
            switch ((Field) part) {
                case TOPIC -> out.append(topic);
                case PARTITION -> out.append(partition);
                case OFFSET -> out.append(offset);
                case TIMESTAMP -> out.append(timestamp);
                case KEY -> out.append(text(key));
                case VALUE -> out.append(text(value));
                case HEADERS -> {
                    boolean first = true;
                    for (Header header : headers) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        out.append(header.key()).append('=').append(text(bytes(header.value())));
                    }
                }
            }
        }
        return out.toString();
    }

    /** A header value's bytes (null stays null). */
    static byte[] bytes(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] copy = new byte[value.remaining()];
        value.duplicate().get(copy);
        return copy;
    }

    static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
