package io.tributary.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One setting: its Kafka key name, its {@link ConfigType}, its default, its {@link Validator}, its
 * {@link Importance}, what it does, and for a topic-level key the broker-level keys that supply its default
 * ({@link #synonyms()}, highest precedence first). Declared once as a constant of the class whose settings record it
 * fills, and read back typed: {@code values.get(LogConfig.SEGMENT_BYTES)} is an {@code Integer}.
 *
 * <p>A value may be given as a string (from a properties file: trimmed, then parsed) or as the Java type itself (an
 * {@code Integer} for an int key, a {@code Collection} for a list, a {@code Class} for a class key). Parsing
 * normalises: whole and decimal numbers to their Java value, booleans and choices case-insensitively to their
 * canonical spelling, lists to their trimmed entries; {@link #format} prints the canonical text back, so a stored
 * value compares and prints the same however it was typed. A value the type cannot read or the validator refuses is
 * a {@link ConfigException} naming key, value and what is allowed.
 *
 * <p>Build one with the factory for its type ({@link #intKey}, {@link #longKey}, {@link #doubleKey},
 * {@link #booleanKey}, {@link #stringKey}, {@link #choiceKey}, {@link #listKey}, {@link #classKey},
 * {@link #passwordKey}) and the {@link Builder}. A default outside its own validator fails when the key is built,
 * that is, when its class loads.
 *
 * @param <T> the parsed value's type
 */
public final class ConfigKey<T> {
    /** Plain decimals only: Double.parseDouble also reads "NaN", "Infinity", hex floats and a trailing 'd'. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private final String name;
    private final ConfigType type;
    private final Function<Object, T> parser;
    private final Function<T, String> formatter;
    private final String typeDescription;
    private final Validator<? super T> validator;
    private final String allowed;
    private final T defaultValue;
    private final boolean required;
    private final String defaultDescription;
    private final Importance importance;
    private final String documentation;
    private final List<Synonym> synonyms;

    private ConfigKey(Builder<T> b, String name, String documentation, List<Synonym> synonyms) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = b.type;
        this.parser = b.parser;
        this.formatter = b.formatter;
        this.typeDescription = b.typeDescription;
        this.validator = b.validator;
        this.allowed = b.describedAs != null ? b.describedAs : b.validator != null ? b.validator.describe() : b.typeDescription;
        this.defaultValue = b.defaultValue;
        this.required = b.required;
        this.defaultDescription = b.defaultDescription;
        this.importance = b.importance;
        this.documentation = Objects.requireNonNull(documentation, () -> "documentation of " + name);
        this.synonyms = List.copyOf(synonyms);
        if (defaultValue != null) {
            // A default its own key refuses is a programming error: fail when the declaring class loads.
            validate(defaultValue);
        }
    }

    // ---- factories, one per type ----

    /** A 32-bit whole number; a value outside the int range is refused with the key's allowed range. */
    public static Builder<Integer> intKey(String name) {
        return new Builder<>(name, ConfigType.INT, raw -> {
            long v = wholeNumber(raw);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new Rejected(null);
            }
            return (int) v;
        }, String::valueOf, "a whole number");
    }

    public static Builder<Long> longKey(String name) {
        return new Builder<>(name, ConfigType.LONG, ConfigKey::wholeNumber, String::valueOf, "a whole number");
    }

    /** A decimal number, printed as {@link Double#toString} ("0.5", "1.0"). */
    public static Builder<Double> doubleKey(String name) {
        return new Builder<>(name, ConfigType.DOUBLE, raw -> {
            if (raw instanceof Number n) {
                return n.doubleValue();
            }
            String s = (String) raw;
            if (!DECIMAL.matcher(s).matches()) {
                throw new Rejected("not a number");
            }
            return Double.parseDouble(s);
        }, String::valueOf, "a number");
    }

    /** "true" or "false" in any case. */
    public static Builder<Boolean> booleanKey(String name) {
        return new Builder<>(name, ConfigType.BOOLEAN, raw -> {
            if (raw instanceof Boolean b) {
                return b;
            }
            String s = ((String) raw).toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new Rejected(null);
            }
            return s.equals("true");
        }, String::valueOf, "true or false");
    }

    /** Any string (trimmed). */
    public static Builder<String> stringKey(String name) {
        return new Builder<>(name, ConfigType.STRING, raw -> (String) raw, s -> s, "a string");
    }

    /** One of {@code choices}, matched ignoring case and read as spelled in {@code choices}. */
    public static Builder<String> choiceKey(String name, String... choices) {
        List<String> options = List.of(choices);
        return new Builder<>(name, ConfigType.STRING, raw -> {
            String choice = canonical(options, (String) raw);
            if (choice == null) {
                throw new Rejected(null);
            }
            return choice;
        }, s -> s, "one of " + String.join(", ", options));
    }

    /** A secret string: its value never appears in messages or {@link #format}ted output. */
    public static Builder<String> passwordKey(String name) {
        return new Builder<>(name, ConfigType.PASSWORD, raw -> (String) raw, s -> "[hidden]", "a string (hidden)");
    }

    /**
     * A list given as a {@code Collection} or a comma-separated string; each entry is trimmed and checked by
     * {@code syntax}. Printed joined by "," without spaces.
     */
    public static Builder<List<String>> listKey(String name, ListSyntax syntax) {
        return new Builder<>(name, ConfigType.LIST, raw -> syntax.parse(raw), list -> String.join(",", list), syntax.describe());
    }

    /** One of {@code choices} per entry (matched ignoring case), at least one, repeats dropped: cleanup.policy. */
    public static Builder<List<String>> choiceListKey(String name, String... choices) {
        List<String> options = List.of(choices);
        ListSyntax syntax = new ListSyntax("one or more of " + String.join(", ", options), entry -> {
            String choice = canonical(options, entry);
            if (choice == null) {
                throw new IllegalArgumentException();
            }
            return choice;
        }, false, true, true);
        return listKey(name, syntax);
    }

    /**
     * A class implementing {@code base}, given as a {@code Class} or a fully qualified name (loaded with the thread's
     * context class loader, else this library's). Printed as its name.
     */
    @SuppressWarnings("unchecked")
    public static <B> Builder<Class<? extends B>> classKey(String name, Class<B> base) {
        return new Builder<>(name, ConfigType.CLASS, raw -> {
            Class<?> c = raw instanceof Class<?> k ? k : load((String) raw);
            if (!base.isAssignableFrom(c)) {
                throw new Rejected(null);
            }
            return (Class<? extends B>) c;
        }, Class::getName, "a class implementing " + base.getName());
    }

    // ---- what a key is ----

    public String name() {
        return name;
    }

    public ConfigType type() {
        return type;
    }

    /** What values are allowed, in words: "a whole number in [0, 2147483647]". */
    public String allowed() {
        return allowed;
    }

    public Importance importance() {
        return importance;
    }

    public String documentation() {
        return documentation;
    }

    /** A key without a default that must be given. */
    public boolean isRequired() {
        return required;
    }

    /** The default, or null for a required key or an optional one without a default. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as text ("" when there is none), as a properties file would give it. */
    public String defaultText() {
        return defaultValue == null ? "" : formatter.apply(defaultValue);
    }

    /** How the default is described instead of printed when it depends on the machine ("the number of processors"), or null. */
    public String defaultDescription() {
        return defaultDescription;
    }

    /**
     * The broker-level keys that supply this (topic-level) key's default, highest precedence first; empty for a key
     * that has none (a broker key, or a topic-only key such as routing.mode).
     */
    public List<Synonym> synonyms() {
        return synonyms;
    }

    // ---- values ----

    /**
     * Parses and checks a value as given by the user, or returns the default when {@code raw} is null.
     *
     * @throws ConfigException naming the key, the value and what is allowed; or for a missing required key
     */
    public T parse(Object raw) {
        if (raw == null) {
            if (required) {
                throw new ConfigException(name, "Missing required configuration " + name + " which has no default value ("
                    + allowed + ")");
            }
            return defaultValue;
        }
        Object given = raw instanceof String s ? s.trim() : raw;
        T value;
        try {
            value = parser.apply(given);
        } catch (Rejected e) {
            throw refused(raw, e.reason == null ? allowed : e.reason + " (allowed: " + allowed + ")");
        } catch (IllegalArgumentException | ClassCastException e) {
            String reason = switch (type) {
                case INT, LONG -> "not a whole number";
                case DOUBLE -> "not a number";
                default -> null;
            };
            throw refused(raw, reason == null ? allowed : reason + " (allowed: " + allowed + ")");
        }
        validate(value, raw);
        return value;
    }

    /**
     * Checks an already typed value against this key's validator, for settings records built in code.
     *
     * @return the value
     * @throws ConfigException naming key, value and what is allowed
     */
    public T validate(T value) {
        validate(value, value);
        return value;
    }

    private void validate(T value, Object given) {
        if (validator != null && value != null) {
            String problem = validator.problem(value);
            if (problem != null) {
                throw refused(given, problem);
            }
        }
    }

    private ConfigException refused(Object given, String problem) {
        return new ConfigException(name, type == ConfigType.PASSWORD ? "[hidden]" : given, problem);
    }

    /** A parsed value of this key as canonical text ("" for null); a password prints as "[hidden]". */
    @SuppressWarnings("unchecked")
    public String format(Object value) {
        return value == null ? "" : formatter.apply((T) value);
    }

    /** This key under another default, for a component whose default differs (the consumer's receive.buffer.bytes). */
    public ConfigKey<T> withDefault(T newDefault) {
        Builder<T> b = toBuilder();
        b.defaultValue = newDefault;
        b.required = false;
        return new ConfigKey<>(b, name, documentation, synonyms);
    }

    private Builder<T> toBuilder() {
        Builder<T> b = new Builder<>(name, type, parser, formatter, typeDescription);
        b.validator = validator;
        b.describedAs = allowed.equals(validator != null ? validator.describe() : typeDescription) ? null : allowed;
        b.defaultValue = defaultValue;
        b.required = required;
        b.defaultDescription = defaultDescription;
        b.importance = importance;
        b.documentation = documentation;
        return b;
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- parsing helpers ----

    private static long wholeNumber(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        return Long.parseLong((String) raw);
    }

    private static String canonical(List<String> options, String candidate) {
        for (String option : options) {
            if (option.equalsIgnoreCase(candidate)) {
                return option;
            }
        }
        return null;
    }

    private static Class<?> load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, true, loader != null ? loader : ConfigKey.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new Rejected("class not found");
        }
    }

    /** A value the type cannot read; {@code reason} (or null) says why, before the allowed values. */
    static final class Rejected extends IllegalArgumentException {
        final String reason;

        Rejected(String reason) {
            super(reason);
            this.reason = reason;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an expected refusal, caught right away: no stack to walk
        }
    }

    /**
     * How a list key reads its entries.
     *
     * @param entries       what one entry is, in words ("host:port pairs")
     * @param entry         checks and normalises one trimmed entry; throws IllegalArgumentException to refuse it
     * @param nonEmpty      at least one entry is required
     * @param strictEntries an empty entry ("a,,b", "") is refused rather than dropped
     * @param distinct      repeated entries are dropped, keeping the first
     */
    public record ListSyntax(String entries, UnaryOperator<String> entry, boolean nonEmpty, boolean strictEntries,
                             boolean distinct) {
        /** Entries of any text, empty ones dropped. */
        public static ListSyntax of(String entries) {
            return new ListSyntax(entries, UnaryOperator.identity(), false, false, false);
        }

        public ListSyntax nonEmptyList() {
            return new ListSyntax(entries, entry, true, strictEntries, distinct);
        }

        public ListSyntax strict() {
            return new ListSyntax(entries, entry, nonEmpty, true, distinct);
        }

        public ListSyntax checkedBy(UnaryOperator<String> check) {
            return new ListSyntax(entries, check, nonEmpty, strictEntries, distinct);
        }

        String describe() {
            return (nonEmpty ? "a non-empty" : "a") + " comma-separated list of " + entries;
        }

        List<String> parse(Object raw) {
            Collection<?> parts;
            if (raw instanceof Collection<?> c) {
                parts = c;
            } else {
                String s = (String) raw;
                // An empty string is an empty list, unless empty entries are refused (then it is one empty entry).
                parts = s.isEmpty() && !strictEntries ? List.of() : List.of(s.split(",", -1));
            }
            List<String> items = new ArrayList<>();
            for (Object part : parts) {
                String text = String.valueOf(part).trim();
                if (text.isEmpty() && !strictEntries) {
                    continue;
                }
                String item;
                try {
                    item = entry.apply(text);
                } catch (IllegalArgumentException e) {
                    throw new Rejected("entry '" + text + "' is not allowed");
                }
                if (!distinct || !items.contains(item)) {
                    items.add(item);
                }
            }
            if (nonEmpty && items.isEmpty()) {
                throw new Rejected(null);
            }
            return List.copyOf(items);
        }
    }

    /**
     * Declares one key. Everything but the documentation has a default: no default value (the key is optional and
     * reads as null), no validator beyond the type, {@link Importance#MEDIUM}, no synonyms.
     */
    public static final class Builder<T> {
        private final String name;
        private final ConfigType type;
        private final Function<Object, T> parser;
        private final Function<T, String> formatter;
        private final String typeDescription;
        private Validator<? super T> validator;
        private String describedAs;
        private T defaultValue;
        private boolean required;
        private String defaultDescription;
        private Importance importance = Importance.MEDIUM;
        private String documentation;
        private String brokerSynonym;
        private final List<Synonym> synonyms = new ArrayList<>();

        private Builder(String name, ConfigType type, Function<Object, T> parser, Function<T, String> formatter,
                        String typeDescription) {
            this.name = name;
            this.type = type;
            this.parser = parser;
            this.formatter = formatter;
            this.typeDescription = typeDescription;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "default");
            this.required = false;
            return this;
        }

        /** The key has no default and must be given. */
        public Builder<T> required() {
            this.defaultValue = null;
            this.required = true;
            return this;
        }

        /** A default that depends on the machine: documented as {@code description}, not printed. */
        public Builder<T> defaultDescribedAs(String description) {
            this.defaultDescription = description;
            return this;
        }

        public Builder<T> validator(Validator<? super T> validator) {
            this.validator = validator;
            return this;
        }

        /** Shorthand for {@code validator(Validator.inRange(min, max))} on whole-number keys. */
        public Builder<T> inRange(long min, long max) {
            @SuppressWarnings("unchecked")
            Validator<? super T> range = (Validator<? super T>) Validator.inRange(min, max);
            return validator(range);
        }

        /**
         * Replaces the generated description of the allowed values, where the type's and validator's words do not
         * say it (a list that may also be empty on purpose).
         */
        public Builder<T> describedAs(String allowed) {
            this.describedAs = allowed;
            return this;
        }

        public Builder<T> importance(Importance importance) {
            this.importance = importance;
            return this;
        }

        public Builder<T> documentation(String documentation) {
            this.documentation = documentation;
            return this;
        }

        /**
         * The broker-level key that supplies this topic key's default under the same type, value and range
         * ({@code log.segment.bytes} for {@code segment.bytes}): declared by this call, reachable as the first of
         * {@link ConfigKey#synonyms()}, documented as this key's documentation plus "Broker default of topic config
         * NAME.".
         */
        public Builder<T> brokerSynonym(String brokerName) {
            if (!synonyms.isEmpty() || brokerSynonym != null) {
                throw new IllegalStateException("the same-unit broker synonym of " + name + " comes first");
            }
            this.brokerSynonym = brokerName;
            return this;
        }

        /** A further broker-level key supplying the default, at lower precedence than those declared before. */
        public Builder<T> synonym(Synonym synonym) {
            synonyms.add(synonym);
            return this;
        }

        public ConfigKey<T> build() {
            List<Synonym> all = new ArrayList<>();
            if (brokerSynonym != null) {
                all.add(Synonym.of(new ConfigKey<>(this, brokerSynonym,
                    documentation + " Broker default of topic config " + name + ".", List.of())));
            }
            all.addAll(synonyms);
            return new ConfigKey<>(this, name, documentation, all);
        }
    }
}
