/**
 * The group APIs on the wire: {@link io.tributary.server.group.GroupCoordinatorAdapter} decodes each request
 * body, at its version, into the request types of {@link io.tributary.groups.GroupCoordinator} and writes its
 * outcomes as response bodies (Kafka error codes, fields by version); thin handlers registered by
 * {@link io.tributary.server.group.GroupApis} answer on the connection's event loop.
 */
package io.tributary.server.group;
