package io.tributary.clients.serialization;

import io.tributary.clients.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bytes decoded as UTF-8, or the charset named by {@code key.deserializer.encoding} /
 * {@code value.deserializer.encoding} / {@code deserializer.encoding}. Decodes straight from the fetched
 * buffer when it has an array, without an intermediate copy.
 */
public final class StringDeserializer implements Deserializer<String> {
    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = StringCodecs.charset(configs, isKey ? "key.deserializer.encoding" : "value.deserializer.encoding",
            "deserializer.encoding", charset);
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, charset);
    }

    @Override
    public String deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return new String(data.array(), data.arrayOffset() + data.position(), data.remaining(), charset);
        }
        return charset.decode(data.duplicate()).toString();
    }
}
