/**
 * The cluster's metadata: records ({@code record}) that build an immutable image ({@code image}) in log order, the
 * controller's decisions as pure functions from image and event to records ({@code controller}), and the Apache Ratis
 * state machine that replicates the records ({@code quorum}). No consensus code of our own: Ratis orders and stores.
 */
package io.tributary.metadata;
