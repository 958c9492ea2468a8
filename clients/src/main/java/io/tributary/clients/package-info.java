/**
 * Tributary's own clients over the Kafka protocol: a producer, a consumer and an admin client that speak
 * to any Kafka-protocol broker through the {@code protocol} module's message schemas and record batches.
 * They never depend on Apache Kafka's client library at run time.
 */
package io.tributary.clients;
