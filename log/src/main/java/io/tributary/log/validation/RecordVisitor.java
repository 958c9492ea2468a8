package io.tributary.log.validation;

/**
 * Sees each record of an append as {@link LogValidator} walks it, after its framing has been checked: the one
 * pass that decompresses a batch can so hand its records to whoever needs them (recompression, statistics)
 * without a second decompression.
 */
@FunctionalInterface
public interface RecordVisitor {
    /** {@code record} is valid only during the call; its bytes must be copied to be kept. */
    void visit(int batchIndex, RecordView record);
}
