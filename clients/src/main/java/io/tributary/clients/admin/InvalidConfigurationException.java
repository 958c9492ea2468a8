package io.tributary.clients.admin;

import io.tributary.clients.errors.ApiException;
import io.tributary.protocol.ErrorCode;

/**
 * A config name or value was refused (INVALID_CONFIG) when creating a topic or altering a resource's configs.
 * The broker's message names the key, the value and what is allowed.
 */
public final class InvalidConfigurationException extends ApiException {
    private final String resource;
    private final String brokerMessage;

    InvalidConfigurationException(String resource, String message, String brokerMessage) {
        super(ErrorCode.INVALID_CONFIG, message);
        this.resource = resource;
        this.brokerMessage = brokerMessage;
    }

    /** The topic (or "broker 0") whose config was refused. */
    public String resource() {
        return resource;
    }

    /** What the broker said, or null if it said nothing beyond the code. */
    public String brokerMessage() {
        return brokerMessage;
    }
}
