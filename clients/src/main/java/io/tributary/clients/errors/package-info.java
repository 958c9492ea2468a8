/**
 * The exceptions of the Tributary clients. All are unchecked and extend
 * {@link io.tributary.clients.errors.TributaryException}:
 * <pre>
 * TributaryException
 *   RetriableException                 may succeed if retried later
 *     TimeoutException                 a deadline passed; the cause is the last failure seen, if any
 *     NetworkException                 connection refused or lost; names host:port
 *     RetriableApiException            a retriable Kafka error code from a broker ({@link io.tributary.clients.errors.BrokerError})
 *   ApiException                       a non-retriable Kafka error code from a broker
 *     RecordTooLargeException          MESSAGE_TOO_LARGE, or a client-side size limit
 *     UnsupportedVersionException      no common API version with the broker
 *     ProducerFencedException          another producer took over the transactional.id (fatal)
 *     InvalidProducerEpochException    a produce with a stale epoch (the transaction is abortable)
 *     InvalidTxnStateException         the coordinator refused a call in the transaction's state (fatal)
 *     InvalidTxnTimeoutException       transaction.timeout.ms above the broker's maximum (fatal)
 *   TransactionAbortedException        a record not sent because its transaction is being aborted
 *   SerializationException             a serializer or deserializer failed
 *   InterruptException                 a blocking call was interrupted (the interrupt flag is kept)
 *   io.tributary.clients.config.ConfigException   an invalid configuration value
 * </pre>
 * {@link io.tributary.clients.errors.ApiException#of} turns an error code from a response into the right one.
 */
package io.tributary.clients.errors;
