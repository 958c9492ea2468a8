/**
 * The metadata quorum on Apache Ratis: the state machine applying committed record batches to the image, snapshots
 * in the node's metadata directory, and the {@link io.tributary.metadata.quorum.MetadataQuorum} facade.
 */
package io.tributary.metadata.quorum;
