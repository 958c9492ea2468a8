/**
 * Retries with backoff and dead letters ({@code <topic>.DLT}) around a
 * {@link io.tributary.clients.routing.retry.RecordHandler}: {@link io.tributary.clients.routing.retry.RetryingProcessor}.
 */
package io.tributary.clients.routing.retry;
