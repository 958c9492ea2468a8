package io.tributary.log.cleaner;

/**
 * A cleaning pass gave up because its log is being closed, deleted or truncated. Nothing of the pass's
 * unfinished work remains: its {@code .cleaned} files are deleted; swaps it completed before stay.
 */
public final class CleaningAbortedException extends RuntimeException {
    public CleaningAbortedException(String message) {
        super(message);
    }
}
