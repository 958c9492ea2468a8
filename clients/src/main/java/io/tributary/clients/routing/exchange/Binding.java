package io.tributary.clients.routing.exchange;

import io.tributary.clients.routing.RoutingKeyPattern;

import java.util.Objects;

/**
 * One rule of a {@link RoutingProducer}: which sends go to a destination topic.
 *
 * <ul>
 * <li>{@link Type#DIRECT}: sends whose routing key equals the key given;</li>
 * <li>{@link Type#TOPIC}: sends whose routing key matches the pattern ({@link RoutingKeyPattern}: {@code *} one
 *     word, {@code #} zero or more);</li>
 * <li>{@link Type#FANOUT}: every send, whatever its routing key.</li>
 * </ul>
 * Immutable; equal when type, key or pattern, and destination are.
 */
public final class Binding {
    public enum Type { DIRECT, TOPIC, FANOUT }

    private final Type type;
    private final String key;
    private final RoutingKeyPattern pattern;
    private final String destination;

    private Binding(Type type, String key, String destination) {
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("A binding needs a destination topic, got " + (destination == null ? "null" : "'" + destination + "'"));
        }
        if (type != Type.FANOUT && key == null) {
            throw new IllegalArgumentException("A " + type.name().toLowerCase() + " binding to " + destination + " needs a "
                + (type == Type.DIRECT ? "routing key" : "pattern"));
        }
        if ((key != null && key.chars().anyMatch(Character::isWhitespace)) || destination.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("Binding keys, patterns and topics hold no blanks; got '" + key + "' to '" + destination + "'");
        }
        this.type = type;
        this.key = key;
        this.pattern = type == Type.TOPIC ? RoutingKeyPattern.compile(key) : null;
        this.destination = destination;
    }

    /** Sends whose routing key is exactly {@code routingKey} go to {@code destination}. */
    public static Binding direct(String routingKey, String destination) {
        return new Binding(Type.DIRECT, routingKey, destination);
    }

    /** Sends whose routing key matches {@code pattern} go to {@code destination}. */
    public static Binding topic(String pattern, String destination) {
        return new Binding(Type.TOPIC, pattern, destination);
    }

    /** Every send goes to {@code destination}. */
    public static Binding fanout(String destination) {
        return new Binding(Type.FANOUT, null, destination);
    }

    public Type type() {
        return type;
    }

    /** The routing key (direct) or pattern (topic); null for fanout. */
    public String key() {
        return key;
    }

    public String destination() {
        return destination;
    }

    /** Whether a send with {@code routingKey} goes to this binding's destination. */
    public boolean matches(String routingKey) {
        return switch (type) {
            case DIRECT -> key.equals(routingKey);
            case TOPIC -> pattern.matches(routingKey);
            case FANOUT -> true;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binding b && type == b.type && Objects.equals(key, b.key) && destination.equals(b.destination);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, key, destination);
    }

    /** The form of a line of a bindings file (see {@link Bindings#parse}); the empty key is written {@code ""}. */
    @Override
    public String toString() {
        return type == Type.FANOUT ? "fanout " + destination
            : type.name().toLowerCase() + " " + (key.isEmpty() ? "\"\"" : key) + " " + destination;
    }
}
