package io.tributary.config;

/**
 * A configuration value is invalid, a required key is missing, or a key is unknown where unknown keys are refused.
 * The message names the key, the value as given and what is allowed
 * ({@code Invalid value 10 for configuration segment.bytes: a whole number in [64, 2147483647]}); the same parts
 * are fields, so no caller needs to read the message.
 */
public class ConfigException extends IllegalArgumentException {
    private final String key;
    private final Object value;
    private final String problem;

    /** A value that its key does not allow; {@code problem} says what would be (follows "...: "). */
    public ConfigException(String key, Object value, String problem) {
        super("Invalid value " + value + " for configuration " + key + ": " + problem);
        this.key = key;
        this.value = value;
        this.problem = problem;
    }

    /** A refusal not about one value (a missing required key, an unknown key). */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
        this.value = null;
        this.problem = message;
    }

    /** The same refusal, for a subclass that maps it to a module's own error (the broker's INVALID_CONFIG). */
    protected ConfigException(ConfigException cause) {
        super(cause.getMessage(), cause);
        this.key = cause.key;
        this.value = cause.value;
        this.problem = cause.problem;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }

    /** The value as given (hidden for a password), or null when the refusal is not about a value. */
    public Object value() {
        return value;
    }

    /** What is wrong or what is allowed, without the key and value. */
    public String problem() {
        return problem;
    }
}
