package io.tributary.clients.errors;

/** A key or value could not be serialized or deserialized; the message names the type and the topic. */
public class SerializationException extends TributaryException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
