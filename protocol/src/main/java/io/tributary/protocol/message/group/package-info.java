/**
 * Bodies of the consumer-group APIs: coordinator discovery, the classic join/sync/heartbeat/leave
 * protocol, committed offsets, and group listing, description and deletion.
 */
package io.tributary.protocol.message.group;
