package io.tributary.clients.network;

import io.tributary.protocol.message.schema.Struct;

/**
 * Builds a request body for the version the connection negotiated, so a caller can fill fields that exist
 * only in some versions (Produce v13 names topics by id, for example). Called once, on the I/O thread, just
 * before the request is written: keep it quick and do not block.
 */
@FunctionalInterface
public interface RequestBody {
    Struct build(short version);
}
