package io.tributary.clients.routing;

/**
 * Names of the record headers the routing layer writes and reads. All start with {@code tributary.} so they
 * cannot clash with an application's own.
 */
public final class RoutingHeaders {
    /** The routing key a {@code RoutingProducer} send was matched with (UTF-8); filters match it before the record key. */
    public static final String ROUTING_KEY = "tributary.routing.key";

    /** On a dead letter: the topic the record was consumed from (UTF-8). */
    public static final String DLT_ORIGINAL_TOPIC = "tributary.dlt.original.topic";
    /** On a dead letter: its partition there (decimal, UTF-8). */
    public static final String DLT_ORIGINAL_PARTITION = "tributary.dlt.original.partition";
    /** On a dead letter: its offset there (decimal, UTF-8). */
    public static final String DLT_ORIGINAL_OFFSET = "tributary.dlt.original.offset";
    /** On a dead letter: the class of the exception the last attempt threw (UTF-8). */
    public static final String DLT_EXCEPTION_CLASS = "tributary.dlt.exception.class";
    /** On a dead letter: that exception's message, "" if it had none (UTF-8). */
    public static final String DLT_EXCEPTION_MESSAGE = "tributary.dlt.exception.message";
    /** On a dead letter: how many times the handler was tried (decimal, UTF-8). */
    public static final String DLT_ATTEMPTS = "tributary.dlt.attempts";

    /** The suffix of a topic's dead-letter topic: {@code orders} -> {@code orders.DLT}. */
    public static final String DLT_SUFFIX = ".DLT";

    private RoutingHeaders() {
    }
}
