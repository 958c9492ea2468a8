package io.tributary.clients.routing;

import java.util.Arrays;
import java.util.Objects;

/**
 * A routing-key pattern in AMQP's topic-exchange syntax. Keys and patterns are words separated by {@code '.'};
 * in a pattern, {@code *} stands for exactly one word and {@code #} for zero or more words; any other word must
 * be equal. {@code order.*.created} matches {@code order.eu.created}; {@code order.#} matches {@code order},
 * {@code order.eu} and {@code order.eu.created}; {@code #} matches every key.
 *
 * <p>Words may be empty: {@code a..b} is three words, the empty key is one empty word (as in RabbitMQ), so
 * {@code *} matches the empty key. {@code *} and {@code #} are wildcards only as whole words: {@code a*} is a
 * literal word.
 *
 * <p>Matching is a dynamic programme over (pattern word, key word) pairs: time O(pattern words x key words), no
 * backtracking blow-up for patterns with many {@code #}. Immutable and thread-safe.
 */
public final class RoutingKeyPattern {
    private final String text;
    private final String[] words;
    private final boolean literal;

    private RoutingKeyPattern(String text) {
        this.text = text;
        this.words = split(text);
        this.literal = Arrays.stream(words).noneMatch(w -> w.equals("*") || w.equals("#"));
    }

    /**
     * @throws IllegalArgumentException for a null pattern
     */
    public static RoutingKeyPattern compile(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("A routing-key pattern must not be null");
        }
        return new RoutingKeyPattern(pattern);
    }

    /** Whether the pattern has no wildcard, so that it matches exactly one key (itself). */
    public boolean isLiteral() {
        return literal;
    }

    public String text() {
        return text;
    }

    /** Whether {@code routingKey} matches; a null key matches nothing. */
    public boolean matches(String routingKey) {
        if (routingKey == null) {
            return false;
        }
        if (literal) {
            return text.equals(routingKey);
        }
        String[] key = split(routingKey);
        // can[j]: the pattern words seen so far can match the first j key words.
        boolean[] can = new boolean[key.length + 1];
        can[0] = true;
        for (String w : words) {
            boolean[] next = new boolean[key.length + 1];
            if (w.equals("#")) {
                boolean any = false;
                for (int j = 0; j <= key.length; j++) {
                    any |= can[j];
                    next[j] = any;
                }
            } else {
                boolean star = w.equals("*");
                for (int j = 1; j <= key.length; j++) {
                    next[j] = can[j - 1] && (star || w.equals(key[j - 1]));
                }
            }
            can = next;
        }
        return can[key.length];
    }

    private static String[] split(String s) {
        return s.split("\\.", -1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingKeyPattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
