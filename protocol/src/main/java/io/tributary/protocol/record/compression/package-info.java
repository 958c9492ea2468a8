/**
 * The four codecs of a v2 batch's records section, in the exact stream formats Kafka writes: gzip (JDK zlib),
 * snappy (snappy-java's framed stream), lz4 (the LZ4 frame format subset of Kafka's {@code Lz4BlockOutputStream})
 * and zstd (zstd-jni streaming). {@link io.tributary.protocol.record.compression.Compression} is the write side
 * (codec and level); {@link io.tributary.protocol.record.compression.Decompressor} the read side, whose output is
 * capped per batch so that no stream, however it lies, makes it allocate more.
 */
package io.tributary.protocol.record.compression;
