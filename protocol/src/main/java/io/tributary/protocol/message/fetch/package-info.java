/** Bodies of the fetch path: Fetch, ListOffsets, and OffsetForLeaderEpoch (a fetch position's check after a leader change). */
package io.tributary.protocol.message.fetch;
