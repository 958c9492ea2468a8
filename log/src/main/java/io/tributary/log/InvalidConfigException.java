package io.tributary.log;

/** A config key that does not exist or a value outside what it allows. Wire error INVALID_CONFIG. */
public class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
