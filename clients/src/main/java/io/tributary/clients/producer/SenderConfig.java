package io.tributary.clients.producer;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.network.Backoff;

import java.util.Objects;

/**
 * The {@link Sender}'s settings, read once from the producer's parsed configuration (whose keys validated every
 * value) plus what the producer derived from it: the client id it chose and whether idempotence survived the
 * cross-key rules ({@link ProducerConfig#idempotence}).
 *
 * @param clientId             sent with every request
 * @param idempotent           producer id and sequence numbers are used
 * @param acks                 the wire's acks: -1 (all), 0 or 1
 * @param lingerMs             {@code linger.ms}
 * @param deliveryTimeoutMs    {@code delivery.timeout.ms}
 * @param requestTimeoutMs     {@code request.timeout.ms}
 * @param retries              {@code retries}
 * @param maxRequestSize       {@code max.request.size}
 * @param maxInFlight          {@code max.in.flight.requests.per.connection}
 * @param transactionTimeoutMs {@code transaction.timeout.ms}, sent with InitProducerId
 * @param retryBackoff         {@code retry.backoff.ms} doubling up to {@code retry.backoff.max.ms}
 */
record SenderConfig(String clientId, boolean idempotent, short acks, long lingerMs, int deliveryTimeoutMs,
                    int requestTimeoutMs, int retries, int maxRequestSize, int maxInFlight, int transactionTimeoutMs,
                    Backoff retryBackoff) {
    SenderConfig {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    /** The settings of a producer configured as {@code config}. */
    static SenderConfig from(ClientConfig config, String clientId, boolean idempotent) {
        return new SenderConfig(clientId, idempotent, ProducerConfig.acks(config), config.get(ProducerConfig.LINGER_MS),
            config.get(ProducerConfig.DELIVERY_TIMEOUT_MS), config.get(CommonClientConfigs.REQUEST_TIMEOUT_MS),
            config.get(ProducerConfig.RETRIES), config.get(ProducerConfig.MAX_REQUEST_SIZE),
            config.get(CommonClientConfigs.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
            config.get(ProducerConfig.TRANSACTION_TIMEOUT_MS),
            new Backoff(config.get(CommonClientConfigs.RETRY_BACKOFF_MS), config.get(CommonClientConfigs.RETRY_BACKOFF_MAX_MS)));
    }
}
