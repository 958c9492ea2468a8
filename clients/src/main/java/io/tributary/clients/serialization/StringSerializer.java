package io.tributary.clients.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A string's bytes in UTF-8, or the charset named by {@code key.serializer.encoding} /
 * {@code value.serializer.encoding} / {@code serializer.encoding} (Kafka's keys). Null stays null.
 */
public final class StringSerializer implements Serializer<String> {
    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = StringCodecs.charset(configs, isKey ? "key.serializer.encoding" : "value.serializer.encoding",
            "serializer.encoding", charset);
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(charset);
    }
}
