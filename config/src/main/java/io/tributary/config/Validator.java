package io.tributary.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * What values of a key are allowed beyond its type: a range, a lower or upper bound, or a custom check. Every
 * validator describes itself ("a whole number in [64, 2147483647]"), which is the "allowed" column of the
 * generated reference, and says what is wrong with a value it refuses, which follows
 * "Invalid value V for configuration K: " in the error.
 *
 * @param <T> the parsed value's type
 */
public interface Validator<T> {
    /** Why {@code value} is refused, phrased to follow "Invalid value V for configuration K: "; null when allowed. */
    String problem(T value);

    /** The allowed values, in words. */
    String describe();

    /** Both checks; the first refusal is reported. */
    default Validator<T> and(Validator<? super T> next) {
        Validator<T> first = this;
        return new Validator<>() {
            @Override
            public String problem(T value) {
                String problem = first.problem(value);
                return problem != null ? problem : next.problem(value);
            }

            @Override
            public String describe() {
                return first.describe() + " and " + next.describe();
            }
        };
    }

    /** A whole number in [min, max]. */
    static Validator<Number> inRange(long min, long max) {
        String description = "a whole number in [" + min + ", " + max + "]";
        return of(n -> n.longValue() >= min && n.longValue() <= max, description);
    }

    /** A decimal number in [min, max]. */
    static Validator<Number> inRange(double min, double max) {
        String description = "a number in [" + min + ", " + max + "]";
        return of(n -> n.doubleValue() >= min && n.doubleValue() <= max, description);
    }

    /** A whole number of at least {@code min}; refused as "must be at least N". */
    static Validator<Number> atLeast(long min) {
        return bound(n -> n.longValue() >= min, "at least " + min);
    }

    /** A whole number of at most {@code max}; refused as "must be at most N". */
    static Validator<Number> atMost(long max) {
        return bound(n -> n.longValue() <= max, "at most " + max);
    }

    private static Validator<Number> bound(Predicate<Number> test, String bound) {
        return new Validator<>() {
            @Override
            public String problem(Number value) {
                return test.test(value) ? null : "must be " + bound;
            }

            @Override
            public String describe() {
                return bound;
            }
        };
    }

    /** A custom check: values failing {@code test} are refused with {@code description} as the problem. */
    static <T> Validator<T> of(Predicate<? super T> test, String description) {
        Objects.requireNonNull(description, "description");
        return new Validator<>() {
            @Override
            public String problem(T value) {
                return test.test(value) ? null : description;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
