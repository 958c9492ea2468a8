/** Bodies of the fetch path: Fetch and ListOffsets. */
package io.tributary.protocol.message.fetch;
