package io.tributary.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.console.http.ApiProblem;
import io.tributary.console.http.Json;
import io.tributary.protocol.record.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a record is shown: key and value decoded as text (UTF-8), JSON (pretty-printed; text with a note when the
 * bytes are not JSON), hex or base64, cut at {@code maxChars} characters with {@code truncated} set so the page
 * can offer to expand; headers decoded as text. Also the filter a browse or tail applies: key substring, header
 * ("name" or "name=value" substring) and value substring, all on the text form.
 */
final class RecordView {
    enum Decoding { TEXT, JSON, HEX, BASE64 }

    record Filter(String key, String header, String value) {
        boolean isEmpty() {
            return key == null && header == null && value == null;
        }

        boolean matches(ConsumerRecord<byte[], byte[]> r) {
            if (key != null && (r.key() == null || !text(r.key()).contains(key))) {
                return false;
            }
            if (value != null && (r.value() == null || !text(r.value()).contains(value))) {
                return false;
            }
            if (header != null) {
                int eq = header.indexOf('=');
                String name = eq < 0 ? header : header.substring(0, eq);
                String wanted = eq < 0 ? null : header.substring(eq + 1);
                for (Header h : r.headers()) {
                    if (h.key().equals(name) && (wanted == null || h.value() != null && text(bytes(h.value())).contains(wanted))) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }
    }

    static Decoding decoding(String name, String param) {
        if (name == null) {
            return Decoding.TEXT;
        }
        try {
            return Decoding.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(param + " must be one of text, json, hex, base64; got '" + name + "'");
        }
    }

    static Map<String, Object> view(ConsumerRecord<byte[], byte[]> r, Decoding keyAs, Decoding valueAs, int maxChars) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("partition", r.partition());
        out.put("offset", r.offset());
        out.put("timestamp", r.timestamp());
        out.put("timestampType", String.valueOf(r.timestampType()));
        out.put("key", decode(r.key(), keyAs, maxChars));
        out.put("value", decode(r.value(), valueAs, maxChars));
        List<Map<String, Object>> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            Map<String, Object> hv = new LinkedHashMap<>();
            hv.put("key", h.key());
            hv.put("value", h.value() == null ? null : text(bytes(h.value())));
            headers.add(hv);
        }
        out.put("headers", headers);
        return out;
    }

    /** {data, as, size, truncated}: data is null for a null key or value. */
    static Map<String, Object> decode(byte[] bytes, Decoding as, int maxChars) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (bytes == null) {
            out.put("data", null);
            out.put("as", as.name().toLowerCase(Locale.ROOT));
            out.put("size", -1);
            out.put("truncated", false);
            return out;
        }
        Decoding used = as;
        String data = switch (as) {
            case TEXT -> text(bytes);
            case HEX -> HexFormat.of().formatHex(bytes);
            case BASE64 -> Base64.getEncoder().encodeToString(bytes);
            case JSON -> {
                try {
                    JsonNode node = Json.MAPPER.readTree(bytes);
                    yield node == null ? "" : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
                } catch (java.io.IOException e) {
                    used = Decoding.TEXT;
                    out.put("note", "not JSON, shown as text");
                    yield text(bytes);
                }
            }
        };
        boolean truncated = data.length() > maxChars;
        out.put("data", truncated ? data.substring(0, maxChars) : data);
        out.put("as", used.name().toLowerCase(Locale.ROOT));
        out.put("size", bytes.length);
        out.put("truncated", truncated);
        return out;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Bytes for a produced key or value given as text, or as base64/hex when {@code encoding} says so. */
    static byte[] encode(String data, String encoding, String field) {
        if (data == null) {
            return null;
        }
        String e = encoding == null ? "text" : encoding.toLowerCase(Locale.ROOT);
        try {
            return switch (e) {
                case "text" -> data.getBytes(StandardCharsets.UTF_8);
                case "json" -> {
                    try {
                        Json.MAPPER.readTree(data);
                    } catch (java.io.IOException notJson) {
                        throw ApiProblem.badRequest(field + " is not valid JSON: " + notJson.getMessage().lines().findFirst().orElse(""));
                    }
                    yield data.getBytes(StandardCharsets.UTF_8);
                }
                case "base64" -> Base64.getDecoder().decode(data.trim());
                case "hex" -> HexFormat.of().parseHex(data.replaceAll("\\s", ""));
                default -> throw ApiProblem.badRequest(field + "Encoding must be text, json, base64 or hex, got '" + encoding + "'");
            };
        } catch (IllegalArgumentException bad) {
            throw ApiProblem.badRequest(field + " is not valid " + e + ": " + bad.getMessage());
        }
    }
}
