/**
 * The web console: {@link io.tributary.console.ConsoleServer} serves the browser pages and a JSON API over
 * Tributary's own clients, so it runs against any Kafka-protocol cluster; inside a broker it also gets the
 * broker's own counters ({@link io.tributary.console.BrokerStats}) and can answer the broker's /metrics and
 * /health on the same port ({@link io.tributary.console.http.PlainRoutes}).
 */
package io.tributary.console;
