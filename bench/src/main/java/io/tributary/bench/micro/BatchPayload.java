package io.tributary.bench.micro;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Record values for the micro-benchmarks: text-like bytes (words drawn from a small vocabulary), so the
 * codecs have something to compress, as with real JSON or log lines, rather than incompressible noise.
 */
final class BatchPayload {
    private static final String[] WORDS = {"order", "id", "created", "status", "amount", "currency", "EUR", "USD",
        "customer", "region", "eu-west", "us-east", "true", "false", "null", "item", "quantity", "price", "sku", "ts"};

    private BatchPayload() {
    }

    static byte[][] values(int count, int size, long seed) {
        Random random = new Random(seed);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder(size + 16);
            while (s.length() < size) {
                s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextBoolean() ? ':' : ' ').append(random.nextInt(10_000)).append(',');
            }
            values[i] = s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        }
        return values;
    }
}
