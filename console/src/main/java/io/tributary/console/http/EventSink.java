package io.tributary.console.http;

/**
 * The writing end of one server-sent-events response ({@code text/event-stream}): each {@link #send} is one
 * event, {@code event: <name>\ndata: <one line of JSON>\n\n}. Thread-safe; after the browser goes away
 * {@link #isOpen} turns false and sends are dropped, which is how a producer of events learns to stop.
 */
public interface EventSink {
    boolean isOpen();

    /** Whether the browser keeps up; a producer of events waits (bounded) while it does not. */
    boolean isWritable();

    void send(String event, String jsonData);

    /** A comment line, which keeps proxies from closing an idle stream. */
    void heartbeat();

    void close();
}
