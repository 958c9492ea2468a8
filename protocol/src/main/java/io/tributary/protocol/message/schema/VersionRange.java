package io.tributary.protocol.message.schema;

/**
 * A contiguous range of message versions, written as Kafka's message definitions write them: {@code "3+"}
 * (3 and later), {@code "0-8"} (0 through 8), {@code "5"} (5 only) or {@code "none"}.
 */
public final class VersionRange {
    public static final VersionRange NONE = new VersionRange((short) 1, (short) 0);
    public static final VersionRange ALL = new VersionRange((short) 0, Short.MAX_VALUE);

    private final short lowest;
    private final short highest;

    private VersionRange(short lowest, short highest) {
        this.lowest = lowest;
        this.highest = highest;
    }

    public static VersionRange parse(String spec) {
        try {
            if (spec.equals("none")) {
                return NONE;
            }
            if (spec.endsWith("+")) {
                return of(Short.parseShort(spec.substring(0, spec.length() - 1)), Short.MAX_VALUE);
            }
            int dash = spec.indexOf('-');
            if (dash > 0) {
                return of(Short.parseShort(spec.substring(0, dash)), Short.parseShort(spec.substring(dash + 1)));
            }
            short only = Short.parseShort(spec);
            return of(only, only);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Version range '" + spec + "' is not N+, N-M, N or none", e);
        }
    }

    public static VersionRange of(short lowest, short highest) {
        if (lowest < 0 || highest < lowest) {
            throw new IllegalArgumentException("Version range " + lowest + "-" + highest + " is empty or negative");
        }
        return new VersionRange(lowest, highest);
    }

    public boolean contains(short version) {
        return version >= lowest && version <= highest;
    }

    public boolean isEmpty() {
        return highest < lowest;
    }

    public short lowest() {
        return lowest;
    }

    public short highest() {
        return highest;
    }

    /** Whether every version in this range is also in {@code other}. */
    public boolean isSubsetOf(VersionRange other) {
        return isEmpty() || (lowest >= other.lowest && highest <= other.highest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRange r && ((isEmpty() && r.isEmpty()) || (lowest == r.lowest && highest == r.highest));
    }

    @Override
    public int hashCode() {
        return isEmpty() ? 0 : 31 * lowest + highest;
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == Short.MAX_VALUE) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
