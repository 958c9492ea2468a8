package io.tributary.clients.errors;

/**
 * A connection to a broker could not be made or was lost, with requests on it unanswered. The message names
 * the broker's host:port and what happened ("connection refused", "connection closed by the broker").
 * Requests that were in flight may or may not have been processed by the broker.
 */
public class NetworkException extends RetriableException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
