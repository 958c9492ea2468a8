/**
 * Kafka's v2 record batch (magic 2), read and written byte for byte as Kafka does.
 *
 * <p>The pieces, from the wire inwards:
 * <ul>
 *   <li>{@link io.tributary.protocol.record.Records}: a records field, batches back-to-back;</li>
 *   <li>{@link io.tributary.protocol.record.RecordBatch}: a zero-copy view of one batch's 61-byte header, with the
 *       checks and in-place stamps the log's append path needs (it never decompresses);</li>
 *   <li>{@link io.tributary.protocol.record.RecordBatchReader}: decodes a batch's records (decompressing with a
 *       bounded {@link io.tributary.protocol.record.compression.Decompressor}) into
 *       {@link io.tributary.protocol.record.Record}s and {@link io.tributary.protocol.record.Header}s;</li>
 *   <li>{@link io.tributary.protocol.record.RecordBatchBuilder}: writes one batch.</li>
 * </ul>
 * Errors: {@link io.tributary.protocol.record.CorruptRecordException} for damaged bytes (CORRUPT_MESSAGE on the
 * wire), {@link io.tributary.protocol.record.InvalidRecordException} for intact bytes that break a rule
 * (INVALID_RECORD); both name the offending value and the limit it broke.
 *
 * <p>The codecs live in {@link io.tributary.protocol.record.compression}, which depends back on this package for
 * {@link io.tributary.protocol.record.CompressionType} and the exceptions: the two are one format, split so that
 * the codec libraries stay out of the header view.
 */
package io.tributary.protocol.record;
