/**
 * The group APIs on the wire: thin handlers that pass each request body to
 * {@link io.tributary.groups.GroupCoordinator} and answer on the connection's event loop
 * ({@link io.tributary.server.group.GroupApis} registers them).
 */
package io.tributary.server.group;
