package io.tributary.groups;

/**
 * One protocol a member supports (for consumers: an assignor name) with the member's metadata for it (for
 * consumers: the serialized subscription). The bytes are opaque to the coordinator, owned by this record and
 * never modified.
 */
public record Protocol(String name, byte[] metadata) {
    public Protocol {
        if (name == null || metadata == null) {
            throw new IllegalArgumentException("Protocol name and metadata cannot be null, got " + name);
        }
    }

    public boolean sameAs(Protocol other) {
        return name.equals(other.name) && java.util.Arrays.equals(metadata, other.metadata);
    }
}
