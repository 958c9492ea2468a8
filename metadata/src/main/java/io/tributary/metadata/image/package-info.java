/** The immutable metadata image, its invariants, and its snapshot encoding. */
package io.tributary.metadata.image;
