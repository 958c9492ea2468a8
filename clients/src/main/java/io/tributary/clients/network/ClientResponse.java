package io.tributary.clients.network;

import io.tributary.protocol.Node;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Struct;

/**
 * The answer to a {@link ClientRequest}: the body, decoded at the version the request was sent with (which
 * a caller needs to read version-specific fields). Bytes and records fields of the body are slices of the
 * response frame, which nothing else references: no copies were made, and none are needed to keep them.
 *
 * @param body null for a request that expects no response
 */
public record ClientResponse(Node node, ApiKey api, short version, Struct body) {
}
