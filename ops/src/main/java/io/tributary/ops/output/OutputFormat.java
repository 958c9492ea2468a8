package io.tributary.ops.output;

/** How a command prints its result: aligned tables for people, JSON (one document) for scripts. */
public enum OutputFormat {
    TABLE, JSON
}
