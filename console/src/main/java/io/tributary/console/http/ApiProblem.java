package io.tributary.console.http;

/**
 * A request the console refuses or cannot carry out, as the JSON body {@code {"status":..,"error":..,"message":..}}:
 * {@code error} is the Kafka error name when the broker said no (UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG, ...)
 * or the console's own (BAD_REQUEST, READ_ONLY, NOT_FOUND); {@code message} says in plain words what was
 * refused and why. Never carries a stack trace to the browser.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String error;

    public ApiProblem(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, "BAD_REQUEST", message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, "NOT_FOUND", message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
