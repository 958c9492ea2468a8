package io.tributary.log.validation;

/** What {@link LogValidator} says about an append: {@link Accepted} as it is, or a {@link Refusal} saying why not. */
public sealed interface Verdict permits Verdict.Accepted, Refusal {

    /** Every batch passed; nothing about them was changed. */
    record Accepted(int batchCount, int recordCount) implements Verdict {
    }
}
