package io.tributary.clients.consumer;

import io.tributary.clients.errors.TributaryException;

/** Thrown from a blocking consumer call after another thread called {@code wakeup()}. */
public class WakeupException extends TributaryException {
    public WakeupException() {
        super("The consumer was woken up by wakeup()");
    }
}
