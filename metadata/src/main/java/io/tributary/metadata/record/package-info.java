/** Metadata records and their versioned binary encoding ({@link io.tributary.metadata.record.RecordCodec}). */
package io.tributary.metadata.record;
