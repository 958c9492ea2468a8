/**
 * Kafka's primitive wire encodings, with every read bounded by the bytes that remain
 * ({@link io.tributary.protocol.message.wire.WireReader}, {@link io.tributary.protocol.message.wire.WireWriter}),
 * and the output abstraction that lets record bytes bypass the encoder
 * ({@link io.tributary.protocol.message.wire.ExternalRecords}, {@link io.tributary.protocol.message.wire.ExternalRecordsSink}).
 */
package io.tributary.protocol.message.wire;
