package io.tributary.clients.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One client setting: its Kafka key name, the Java type of its value, its default, what values it allows
 * and what it does. Keys are constants in the class that owns them ({@link CommonClientConfigs}, and the
 * producer's, consumer's and admin's config classes), collected into a {@link ConfigDef}, and read back
 * typed from a parsed {@link ClientConfig}: {@code config.get(ProducerConfig.LINGER_MS)} is a {@code Long}.
 *
 * <p>Values may be given as strings (from a properties file: trimmed, then parsed) or as the Java type
 * itself (an {@code Integer} for an int key, a {@code List} or comma-separated string for a list, a
 * {@code Class} or class name for a class key). Anything else, and anything outside the allowed range, is
 * a {@link ConfigException} naming the key, the value and the range.
 *
 * @param <T> the type {@link ClientConfig#get} returns
 */
public final class ConfigKey<T> {
    /** The default of a key that must be given. */
    private static final Object REQUIRED = new Object();

    private final String name;
    private final String type;
    private final Object defaultValue;
    private final String allowed;
    private final Function<Object, T> parser;
    private final String documentation;

    private ConfigKey(String name, String type, Object defaultValue, String allowed, Function<Object, T> parser,
                      String documentation) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.allowed = allowed;
        this.parser = parser;
        this.documentation = documentation;
        this.defaultValue = defaultValue;
        if (defaultValue != REQUIRED && defaultValue != null) {
            // A default outside its own range is a programming error; find it when the class loads.
            parse(defaultValue);
        }
    }

    /** A 32-bit whole number in [min, max]. */
    public static ConfigKey<Integer> ofInt(String name, int defaultValue, int min, int max, String documentation) {
        String allowed = "a whole number in [" + min + ", " + max + "]";
        return new ConfigKey<>(name, "int", defaultValue, allowed, raw -> {
            long v = wholeNumber(raw);
            if (v < min || v > max) {
                throw new IllegalArgumentException();
            }
            return (int) v;
        }, documentation);
    }

    /** A 64-bit whole number in [min, max]. */
    public static ConfigKey<Long> ofLong(String name, long defaultValue, long min, long max, String documentation) {
        String allowed = "a whole number in [" + min + ", " + max + "]";
        return new ConfigKey<>(name, "long", defaultValue, allowed, raw -> {
            long v = wholeNumber(raw);
            if (v < min || v > max) {
                throw new IllegalArgumentException();
            }
            return v;
        }, documentation);
    }

    /** A decimal number in [min, max]. */
    public static ConfigKey<Double> ofDouble(String name, double defaultValue, double min, double max, String documentation) {
        String allowed = "a number in [" + min + ", " + max + "]";
        return new ConfigKey<>(name, "double", defaultValue, allowed, raw -> {
            double v = raw instanceof Number n ? n.doubleValue() : Double.parseDouble((String) raw);
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException();
            }
            return v;
        }, documentation);
    }

    public static ConfigKey<Boolean> ofBoolean(String name, boolean defaultValue, String documentation) {
        return new ConfigKey<>(name, "boolean", defaultValue, "true or false", raw -> {
            if (raw instanceof Boolean b) {
                return b;
            }
            String s = ((String) raw).toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException();
            }
            return s.equals("true");
        }, documentation);
    }

    /** Any string; {@code defaultValue} may be null (the key is then optional and reads as null). */
    public static ConfigKey<String> ofString(String name, String defaultValue, String documentation) {
        return new ConfigKey<>(name, "string", defaultValue, "a string", raw -> (String) raw, documentation);
    }

    /** One of {@code choices}, compared ignoring case and returned as spelled in {@code choices}. */
    public static ConfigKey<String> ofChoice(String name, String defaultValue, String documentation, String... choices) {
        List<String> options = List.of(choices);
        String allowed = "one of " + String.join(", ", options);
        return new ConfigKey<>(name, "string", defaultValue, allowed, raw -> {
            for (String option : options) {
                if (option.equalsIgnoreCase((String) raw)) {
                    return option;
                }
            }
            throw new IllegalArgumentException();
        }, documentation);
    }

    /**
     * A list of strings, given as a {@code Collection} or a comma-separated string (elements trimmed, empty
     * ones dropped); {@code element} checks each element and says in its message what an element must be.
     *
     * @param defaultValue null for a required key
     */
    public static ConfigKey<List<String>> ofList(String name, List<String> defaultValue, boolean nonEmpty,
                                                 String allowedElement, Function<String, String> element,
                                                 String documentation) {
        String allowed = (nonEmpty ? "a non-empty" : "a") + " comma-separated list of " + allowedElement;
        return new ConfigKey<>(name, "list", defaultValue == null ? REQUIRED : defaultValue, allowed, raw -> {
            List<String> items = new ArrayList<>();
            Collection<?> parts = raw instanceof Collection<?> c ? c : Arrays.asList(((String) raw).split(","));
            for (Object part : parts) {
                String s = String.valueOf(part).trim();
                if (!s.isEmpty()) {
                    items.add(element.apply(s));
                }
            }
            if (nonEmpty && items.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return List.copyOf(items);
        }, documentation);
    }

    /**
     * A class implementing {@code base}, given as a {@code Class} or a fully qualified name (loaded with the
     * thread's context class loader, else this library's); null allowed when {@code defaultValue} is null.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <B> ConfigKey<Class<? extends B>> ofClass(String name, Class<? extends B> defaultValue, Class<B> base,
                                                          String documentation) {
        String allowed = "a class implementing " + base.getName();
        Function<Object, Class<? extends B>> parser = raw -> {
            Class<?> c = raw instanceof Class<?> k ? k : load((String) raw);
            if (!base.isAssignableFrom(c)) {
                throw new IllegalArgumentException();
            }
            return (Class<? extends B>) c;
        };
        return new ConfigKey(name, "class", defaultValue, allowed, parser, documentation);
    }

    private static Class<?> load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, true, loader != null ? loader : ConfigKey.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long wholeNumber(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        return Long.parseLong((String) raw);
    }

    /** The same key with another default, for a client whose default differs (Kafka's receive.buffer.bytes). */
    public ConfigKey<T> withDefault(T newDefault) {
        return new ConfigKey<>(name, type, newDefault, allowed, parser, documentation);
    }

    public String name() {
        return name;
    }

    /** "int", "long", "double", "boolean", "string", "list" or "class". */
    public String type() {
        return type;
    }

    public boolean isRequired() {
        return defaultValue == REQUIRED;
    }

    /** The default as given when the key was declared (null for optional keys without one). */
    public Object defaultValue() {
        return defaultValue == REQUIRED ? null : defaultValue;
    }

    /** What values are allowed, in words: "a whole number in [0, 2147483647]". */
    public String allowed() {
        return allowed;
    }

    public String documentation() {
        return documentation;
    }

    /**
     * Parses and checks a value given by the user, or returns the default when {@code raw} is null.
     *
     * @throws ConfigException naming the key, the value and the allowed range; or for a missing required key
     */
    public T parse(Object raw) {
        if (raw == null) {
            if (defaultValue == REQUIRED) {
                throw new ConfigException(name, "Missing required configuration " + name + " which has no default value ("
                    + allowed + ")");
            }
            if (defaultValue == null) {
                return null;
            }
            raw = defaultValue;
        }
        Object value = raw instanceof String s ? s.trim() : raw;
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ConfigException(name, raw, allowed);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
