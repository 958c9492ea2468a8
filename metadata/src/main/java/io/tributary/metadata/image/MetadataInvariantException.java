package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;

/**
 * A record that would break an invariant of the image: a bug in whoever wrote it (the controller checks its decisions
 * against the image before writing). Applying stops loudly rather than building an image that differs from the rules.
 */
public final class MetadataInvariantException extends RuntimeException {
    private final transient MetadataRecord record;
    private final String violation;

    public MetadataInvariantException(MetadataRecord record, String violation) {
        super("Metadata record " + record + " refused: " + violation);
        this.record = record;
        this.violation = violation;
    }

    public MetadataRecord record() {
        return record;
    }

    public String violation() {
        return violation;
    }
}
