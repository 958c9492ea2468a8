package io.tributary.log;

import io.tributary.config.ConfigException;

/**
 * A config key that does not exist or a value outside what it allows, in the broker's modules. Wire error
 * INVALID_CONFIG. A refusal from a {@link io.tributary.config.ConfigKey} keeps its key, value and problem fields.
 */
public class InvalidConfigException extends ConfigException {
    public InvalidConfigException(String message) {
        super(null, message);
    }

    /** The library's refusal, as the broker's error. */
    public InvalidConfigException(ConfigException refusal) {
        super(refusal);
    }

    /**
     * Runs a parse or build step that the configuration library may refuse, refusing as this type.
     *
     * @throws InvalidConfigException for the library's ConfigException, with its fields
     */
    public static <T> T refusing(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidConfigException e) {
            throw e;
        } catch (ConfigException e) {
            throw new InvalidConfigException(e);
        }
    }
}
